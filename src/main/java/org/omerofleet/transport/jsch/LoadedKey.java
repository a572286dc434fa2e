package org.omerofleet.transport.jsch;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.KeyPair;

/**
 * Offer an already decrypted private key to JSch. Keys are read and decrypted once per file by the
 * factory and shared by every session it opens, so nothing here asks for a passphrase again.
 */
final class LoadedKey implements Identity {

    private final String name;
    private final KeyPair pair;

    LoadedKey(String name, KeyPair pair) {
        this.name = name;
        this.pair = pair;
    }

    @Override
    public boolean setPassphrase(byte[] passphrase) {
        return true; // decrypted when loaded
    }

    @Override
    public byte[] getPublicKeyBlob() {
        return pair.getPublicKeyBlob();
    }

    @Override
    public byte[] getSignature(byte[] data) {
        return pair.getSignature(data);
    }

    @Override
    public byte[] getSignature(byte[] data, String algorithm) {
        return pair.getSignature(data, algorithm);
    }

    @Override
    public String getAlgName() {
        return pair.getKeyTypeString();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isEncrypted() {
        return false;
    }

    @Override
    public void clear() {
        // shared by every session of the factory; the factory disposes of it when it closes
    }

    void dispose() {
        pair.dispose();
    }
}
