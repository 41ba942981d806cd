package io.colabtop.ssh;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Public-key auth through a running ssh-agent ({@code SSH_AUTH_SOCK}): sshj has no agent client,
 * and keys that live only in the agent (or whose passphrase only the agent knows) are how many
 * people log in. Speaks the agent protocol (draft-miller-ssh-agent) over the Unix socket:
 * REQUEST_IDENTITIES (11) and SIGN_REQUEST (13). The private key never leaves the agent.
 */
public final class AgentAuth {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_512 = 4;

    private final Path socket;
    private final List<PublicKey> keys;

    private AgentAuth(Path socket, List<PublicKey> keys) {
        this.socket = socket;
        this.keys = keys;
    }

    /**
     * The agent at {@code SSH_AUTH_SOCK} (the system property colabtop.ssh.agent overrides it, for
     * tests), or empty when there is none, it holds no key, or it does not answer.
     */
    public static Optional<AgentAuth> forEnvironment() {
        String path = System.getProperty("colabtop.ssh.agent", System.getenv("SSH_AUTH_SOCK"));
        if (path == null || path.isBlank() || !Files.exists(Path.of(path))) {
            return Optional.empty();
        }
        try {
            return Optional.of(at(Path.of(path))).filter(a -> !a.keys.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static AgentAuth at(Path socket) throws IOException {
        Buffer.PlainBuffer reply = call(socket, new byte[] {REQUEST_IDENTITIES});
        try {
            if (reply.readByte() != IDENTITIES_ANSWER) {
                throw new IOException("ssh-agent refused to list keys");
            }
            int n = reply.readUInt32AsInt();
            List<PublicKey> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] blob = reply.readBytes();
                reply.readString(); // comment
                try {
                    keys.add(new Buffer.PlainBuffer(blob).readPublicKey());
                } catch (Buffer.BufferException | RuntimeException unsupported) {
                    // a certificate or a key type sshj cannot read: skip it
                }
            }
            return new AgentAuth(socket, List.copyOf(keys));
        } catch (Buffer.BufferException e) {
            throw new IOException("garbled answer from ssh-agent", e);
        }
    }

    public List<PublicKey> keys() {
        return keys;
    }

    /** One auth method per agent key, tried in the agent's order. */
    public List<AuthMethod> methods() {
        List<AuthMethod> out = new ArrayList<>();
        for (PublicKey k : keys) {
            out.add(new AgentKeyAuth(k));
        }
        return out;
    }

    /** Asks the agent to sign {@code data} with {@code key}; returns the signature blob (string alg, string sig). */
    byte[] sign(PublicKey key, byte[] data, int flags) throws IOException {
        Buffer.PlainBuffer req = new Buffer.PlainBuffer();
        req.putByte(SIGN_REQUEST);
        req.putString(blob(key));
        req.putString(data);
        req.putUInt32(flags);
        Buffer.PlainBuffer reply = call(socket, req.getCompactData());
        try {
            byte type = reply.readByte();
            if (type == FAILURE) {
                throw new IOException("ssh-agent refused to sign (key locked, or confirmation denied)");
            }
            if (type != SIGN_RESPONSE) {
                throw new IOException("unexpected ssh-agent reply " + type);
            }
            return reply.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("garbled signature from ssh-agent", e);
        }
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** One request, one reply, on a fresh connection: uint32 length, then the message. */
    private static Buffer.PlainBuffer call(Path socket, byte[] message) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + message.length);
            out.putInt(message.length).put(message).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = ByteBuffer.allocate(4);
            readFully(ch, len);
            int n = len.flip().getInt();
            if (n <= 0 || n > 256 * 1024) {
                throw new IOException("ssh-agent reply of " + n + " bytes");
            }
            ByteBuffer body = ByteBuffer.allocate(n);
            readFully(ch, body);
            return new Buffer.PlainBuffer(body.array());
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("ssh-agent closed the connection");
            }
        }
    }

    /** sshj's public-key method with the signature made by the agent instead of a local key. */
    private final class AgentKeyAuth extends AuthPublickey {
        private final PublicKey key;
        private final boolean rsa;

        AgentKeyAuth(PublicKey key) {
            super(new PublicOnly(key));
            this.key = key;
            this.rsa = KeyType.fromKey(key) == KeyType.RSA;
        }

        private String algorithm() {
            return rsa ? "rsa-sha2-512" : KeyType.fromKey(key).toString();
        }

        @Override
        protected SSHPacket putPubKey(SSHPacket reqBuf) {
            return reqBuf.putString(algorithm()).putString(blob(key));
        }

        @Override
        protected SSHPacket putSig(SSHPacket reqBuf) throws UserAuthException {
            byte[] data = new Buffer.PlainBuffer()
                    .putString(params.getTransport().getSessionID())
                    .putBuffer(reqBuf)
                    .getCompactData();
            try {
                return reqBuf.putString(sign(key, data, rsa ? RSA_SHA2_512 : 0));
            } catch (IOException e) {
                throw new UserAuthException(e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "ssh-agent " + algorithm();
        }
    }

    private record PublicOnly(PublicKey key) implements KeyProvider {
        @Override
        public PrivateKey getPrivate() throws IOException {
            throw new IOException("the private key stays in ssh-agent");
        }

        @Override
        public PublicKey getPublic() {
            return key;
        }

        @Override
        public KeyType getType() {
            return KeyType.fromKey(key);
        }
    }
}
