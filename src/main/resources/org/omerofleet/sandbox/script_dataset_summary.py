#!/usr/bin/env python
"""Minimal OMERO script stand-in: would summarise a dataset (sandbox)."""

def summarise(names):
    return "%d images" % len(names)

if __name__ == "__main__":
    print(summarise([]))
