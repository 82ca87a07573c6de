package dev.batchetl.fetch;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per target file, so that concurrent fetches into the same target take turns; a
 * lock lives only while someone holds or waits for it.
 */
final class TargetLocks {

    private final Map<Path, TargetLock> locks = new HashMap<>();

    /** Waits for the target's lock; hand what it returns to {@link #unlock}. */
    TargetLock lock(Path target) {
        TargetLock lock;
        synchronized (this.locks) {
            lock = this.locks.computeIfAbsent(target, t -> new TargetLock());
            lock.users++;
        }
        lock.lock.lock();
        return lock;
    }

    void unlock(Path target, TargetLock lock) {
        lock.lock.unlock();
        synchronized (this.locks) {
            if (--lock.users == 0) {
                this.locks.remove(target);
            }
        }
    }

    static final class TargetLock {

        private final ReentrantLock lock = new ReentrantLock();

        private int users; // guarded by locks

    }

}
