/**
 * The artifact storage contract shared by the Weft engine and every store plugin.
 *
 * <p>A store plugin implements {@link dev.weft.storage.spi.ArtifactStoreProvider} (a PF4J extension point) and
 * returns {@link dev.weft.storage.spi.ArtifactStore} instances built from a {@link dev.weft.storage.spi.StoreConfig}.
 * Keys are {@link dev.weft.storage.spi.ArtifactKey} values, validated once on construction. Every failure is an
 * {@link dev.weft.storage.spi.ArtifactStoreException} whose {@link dev.weft.storage.spi.ArtifactStoreException.Kind}
 * tells callers what to do about it. Optional abilities (ranged reads, ...) are separate mix-in interfaces.
 *
 * <p>Every method here is a promise to plugin authors: keep this package small and stable.
 */
package dev.weft.storage.spi;
