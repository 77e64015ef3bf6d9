/**
 * Stores behind the application's storage ports: the in-memory session store and replay log, the embedded default.
 * Exports only the package bootstrap constructs the stores from. The application module is
 * {@code requires transitive} because its port and clock types appear in the stores' constructors.
 */
module io.mcprelay.adapters.storage {
    requires transitive io.mcprelay.application;

    exports io.mcprelay.adapter.storage.memory;
}
