package dev.weft.engine.durable;

import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunStores;

/** {@link RunHistoryContract} on the embedded default: an H2 database file. */
class H2RunHistoryTest extends RunHistoryContract {

    @Override
    protected RunStore newStore() {
        return RunStores.h2File(dir.resolve("db/weft"));
    }
}
