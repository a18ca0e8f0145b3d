package dev.weft.storage.s3.credentials;

import dev.weft.storage.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * A named profile from the shared files ({@code AWS_SHARED_CREDENTIALS_FILE} or {@code ~/.aws/credentials}, and
 * {@code AWS_CONFIG_FILE} or {@code ~/.aws/config}): {@code credentials.profile}, else {@code AWS_PROFILE}, else
 * {@code default}.
 */
public final class ProfileCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = "profile";

    private final String profileName;
    private final boolean explicit;
    private final Optional<Path> credentialsFile;
    private final Optional<Path> configFile;

    /**
     * A profile step.
     *
     * @param credentials the store config's {@code credentials.*} subset
     * @param env         the environment
     */
    public ProfileCredentialSource(StoreConfig credentials, Environment env) {
        Optional<String> configured = credentials.getString("profile");
        this.explicit = configured.isPresent();
        this.profileName = configured.or(() -> env.variable("AWS_PROFILE")).orElse("default");
        this.credentialsFile = env.variable("AWS_SHARED_CREDENTIALS_FILE").map(Path::of)
                .or(() -> env.homeDirectory().map(h -> h.resolve(".aws").resolve("credentials")));
        this.configFile = env.variable("AWS_CONFIG_FILE").map(Path::of)
                .or(() -> env.homeDirectory().map(h -> h.resolve(".aws").resolve("config")));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        List<Path> existing = existingFiles();
        if (existing.isEmpty()) {
            String looked = files().isEmpty() ? "no home directory and no AWS_SHARED_CREDENTIALS_FILE"
                    : "no file at " + files().stream().map(Path::toString).reduce((a, b) -> a + " or " + b).get();
            if (explicit) {
                return Optional.empty(); // an explicitly named profile that cannot be found is a failure, below
            }
            return Optional.of(looked);
        }
        if (!explicit && load(existing).profile(profileName).isEmpty()) {
            return Optional.of("profile '" + profileName + "' not found in " + existing);
        }
        return Optional.empty();
    }

    @Override
    public AwsCredentialsProvider provider() {
        List<Path> existing = existingFiles();
        if (existing.isEmpty() || load(existing).profile(profileName).isEmpty()) {
            throw new CredentialSourceException(NAME, "credentials.profile '" + profileName + "' not found in "
                    + (existing.isEmpty() ? files() : existing));
        }
        return ProfileCredentialsProvider.builder().profileFile(load(existing)).profileName(profileName).build();
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        credentialsFile.ifPresent(files::add);
        configFile.ifPresent(files::add);
        return files;
    }

    private List<Path> existingFiles() {
        return files().stream().filter(Files::isRegularFile).toList();
    }

    private ProfileFile load(List<Path> existing) {
        ProfileFile.Aggregator aggregator = ProfileFile.aggregator();
        credentialsFile.filter(existing::contains).ifPresent(f -> aggregator.addFile(
                ProfileFile.builder().content(f).type(ProfileFile.Type.CREDENTIALS).build()));
        configFile.filter(existing::contains).ifPresent(f -> aggregator.addFile(
                ProfileFile.builder().content(f).type(ProfileFile.Type.CONFIGURATION).build()));
        return aggregator.build();
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("profile", profileName);
        return details;
    }
}
