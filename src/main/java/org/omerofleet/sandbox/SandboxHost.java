package org.omerofleet.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * One simulated host: an SSH server on 127.0.0.1 with its own host key and home directory, running
 * each command through the real {@code /bin/sh} and serving SFTP on the real file system (relative
 * paths start in the home directory, as on a real host). It can be stopped and started again on the
 * same port, which is how tests make a host unreachable in the middle of a run. TCP forwarding is
 * allowed unless {@link #allowTcpForwarding(boolean) turned off}, and every forwarded connection's
 * destination is recorded.
 */
public final class SandboxHost implements AutoCloseable {

    private final String name;
    private final Path home;
    private final Map<String, String> environment;
    private final Shared shared;
    private final List<String> forwardedTo = new CopyOnWriteArrayList<>();
    private volatile boolean tcpForwarding = true;
    private KeyPair hostKey;
    private SshServer server;
    private int port;

    /**
     * What every host of a fleet shares: the login user, the keys it accepts (a list the fleet may still
     * add to) and the threads that serve all hosts.
     */
    record Shared(String user, List<PublicKey> authorizedKeys, CloseableExecutorService io, ScheduledExecutorService timers,
                  ExecutorService pumps) {
    }

    SandboxHost(String name, Path home, Map<String, String> environment, KeyPair hostKey, Shared shared) {
        this.name = name;
        this.home = home;
        this.environment = environment;
        this.hostKey = hostKey;
        this.shared = shared;
    }

    /** Start listening: on a free port the first time, on the same port after a {@link #stop()}. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(port);
        s.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory(() -> ThreadUtils.noClose(shared.io())));
        s.setScheduledExecutorService(shared.timers(), false);
        s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        // as the controller's client: no Nagle delay on the small packets that end each command
        CoreModuleProperties.TCP_NODELAY.set(s, true);
        s.setPublickeyAuthenticator((username, key, session) -> shared.user().equals(username)
                && shared.authorizedKeys().stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setCommandFactory((channel, command) -> new ShellCommand(command, home, environment, shared.pumps()));
        s.setSubsystemFactories(List.of(new HomeSftp(home)));
        s.setFileSystemFactory(new HomeFileSystem(home));
        s.setForwardingFilter(ForwardingFilter.asForwardingFilter(AcceptAllForwardingFilter.INSTANCE, AcceptAllForwardingFilter.INSTANCE,
                new TcpForwardingFilter() {
                    @Override
                    public boolean canListen(SshdSocketAddress address, Session session) {
                        return tcpForwarding;
                    }

                    @Override
                    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                        if (tcpForwarding && type == Type.Direct) {
                            forwardedTo.add(address.getHostName() + ":" + address.getPort());
                        }
                        return tcpForwarding;
                    }
                }));
        s.start();
        port = ((InetSocketAddress) s.getBoundAddresses().iterator().next()).getPort();
        server = s;
    }

    /** Stop listening and drop every session, as a host that goes down does. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    /**
     * Drop every open session at once, as a connection reset does, while the host keeps listening (it can
     * be reached again at once, unlike after {@link #stop()}, whose port another socket may take meanwhile).
     */
    public synchronized void cutConnections() {
        if (server != null) {
            server.getActiveSessions().forEach(session -> session.close(true));
        }
    }

    /** Allow or refuse TCP port forwarding from now on, as sshd's {@code AllowTcpForwarding yes} or {@code no}. */
    public void allowTcpForwarding(boolean allow) {
        tcpForwarding = allow;
    }

    /** {@return the {@code host:port} of every connection forwarded through this host ({@code ssh -L}), oldest first} */
    public List<String> forwardedTo() {
        return List.copyOf(forwardedTo);
    }

    /** Give the host a new host key (takes effect at the next {@link #start()}), as a reinstalled host has. */
    public synchronized void replaceHostKey(KeyPair key) {
        this.hostKey = key;
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
    }

    public synchronized int port() {
        return port;
    }

    public synchronized PublicKey hostKey() {
        return hostKey.getPublic();
    }

    public synchronized boolean running() {
        return server != null && server.isStarted();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** SFTP whose relative paths start in the host's home directory, as OpenSSH's sftp-server does. */
    private static final class HomeSftp extends SftpSubsystemFactory {
        private final Path home;

        HomeSftp(Path home) {
            this.home = home;
        }

        @Override
        public Command createSubsystem(ChannelSession channel) throws IOException {
            return new SftpSubsystem(channel, this) {
                @Override
                public void setFileSystem(FileSystem fileSystem) {
                    super.setFileSystem(fileSystem);
                    defaultDir = home;
                }
            };
        }
    }

    /** SFTP sees the real file system. */
    private record HomeFileSystem(Path home) implements FileSystemFactory {
        @Override
        public Path getUserHomeDir(SessionContext session) {
            return home;
        }

        @Override
        public FileSystem createFileSystem(SessionContext session) {
            return FileSystems.getDefault();
        }
    }
}
