package dev.weft.engine.history;

/** The in-memory store against the contract. */
class InMemoryRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore newStore() {
        return RunStores.inMemory();
    }

    @Override
    protected boolean groupCommits() {
        return false;
    }
}
