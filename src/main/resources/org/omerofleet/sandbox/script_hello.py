#!/usr/bin/env python
"""Minimal OMERO script stand-in: greets the caller (sandbox)."""

def run():
    return "Hello from the sandbox script service"

if __name__ == "__main__":
    print(run())
