package dev.weft.engine.exec;

/**
 * A thread of the engine's own task pool. A run's scheduling work that a task's completion triggers may run right on
 * such a thread (see {@link SerialExecutor#onWorker()}): it has just finished its task, and handing the bookkeeping
 * to another thread would make every step of a chain wait for that thread to wake up.
 */
public final class WorkerThread extends Thread {

    /**
     * @param task the pool's worker loop
     * @param name the thread's name
     */
    public WorkerThread(Runnable task, String name) {
        super(task, name);
        setDaemon(true);
    }
}
