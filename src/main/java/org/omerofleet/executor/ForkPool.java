package org.omerofleet.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run host work with at most {@code forks} hosts at once (Ansible's {@code -f}).
 *
 * <p>Threads are created only as work needs them and die when idle, with a small stack, so that
 * {@code -f 1000} on a 2-core machine costs memory for the hosts actually in flight.
 */
final class ForkPool implements AutoCloseable {

    private static final long STACK_BYTES = 512 * 1024;

    private final ExecutorService pool;

    ForkPool(int forks) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(forks, forks, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(null, r, "fork-" + n.incrementAndGet(), STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    /** {@return the results of every job, in order; waits for all of them} */
    <T> List<T> runAll(List<Callable<T>> jobs) {
        List<Future<T>> futures = new ArrayList<>(jobs.size());
        for (Callable<T> job : jobs) {
            futures.add(pool.submit(job));
        }
        List<T> results = new ArrayList<>(jobs.size());
        for (Future<T> future : futures) {
            results.add(await(future));
        }
        return results;
    }

    private static <T> T await(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    // a host in flight always finishes its step: keep waiting, remember the interrupt
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("host job failed unexpectedly", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
