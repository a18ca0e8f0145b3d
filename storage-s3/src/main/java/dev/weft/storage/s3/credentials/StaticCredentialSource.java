package dev.weft.storage.s3.credentials;

import dev.weft.storage.spi.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Keys from the store config: {@code credentials.accessKey}/{@code secretKey}/{@code sessionToken} inline, or by
 * reference as {@code ...Env} (an environment variable's name) or {@code ...File} (a file whose trimmed content is
 * the value, e.g. a mounted Kubernetes secret).
 */
public final class StaticCredentialSource implements CredentialSource {

    /** The step's name. */
    public static final String NAME = "static";

    private final StoreConfig credentials;
    private final Environment env;
    private final Map<String, String> details = new LinkedHashMap<>();

    /**
     * A static step.
     *
     * @param credentials the store config's {@code credentials.*} subset
     * @param env         where {@code ...Env} references are looked up
     */
    public StaticCredentialSource(StoreConfig credentials, Environment env) {
        this.credentials = credentials;
        this.env = env;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> skipReason() {
        if (!configured("accessKey") && !configured("secretKey")) {
            return Optional.of("no credentials.accessKey, credentials.accessKeyEnv or credentials.accessKeyFile "
                    + "in the store config");
        }
        return Optional.empty();
    }

    @Override
    public AwsCredentialsProvider provider() {
        String accessKey = value("accessKey").orElseThrow(() -> missing("accessKey", "secretKey"));
        String secretKey = value("secretKey").orElseThrow(() -> missing("secretKey", "accessKey"));
        Optional<String> sessionToken = value("sessionToken");
        if (sessionToken.isPresent()) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.builder().accessKeyId(accessKey)
                    .secretAccessKey(secretKey).sessionToken(sessionToken.get()).providerName(NAME).build());
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.builder().accessKeyId(accessKey)
                .secretAccessKey(secretKey).providerName(NAME).build());
    }

    @Override
    public Map<String, String> details() {
        return details;
    }

    private boolean configured(String name) {
        return credentials.has(name) || credentials.has(name + "Env") || credentials.has(name + "File");
    }

    private CredentialSourceException missing(String absent, String present) {
        return new CredentialSourceException(NAME, "credentials." + present + " is configured but credentials."
                + absent + " (or " + absent + "Env, " + absent + "File) is not");
    }

    /** The value of one setting from inline, env or file, recording (non-secret) where it came from. */
    private Optional<String> value(String name) {
        Optional<String> inline = credentials.getString(name);
        if (inline.isPresent()) {
            details.put(name, "inline");
            return inline;
        }
        Optional<String> variable = credentials.getString(name + "Env");
        if (variable.isPresent()) {
            String value = env.variable(variable.get()).orElseThrow(() -> new CredentialSourceException(NAME,
                    "credentials." + name + "Env names environment variable " + variable.get() + ", which is not set"));
            details.put(name, "env " + variable.get());
            return Optional.of(value);
        }
        Optional<Path> file = credentials.getPath(name + "File");
        if (file.isPresent()) {
            details.put(name, "file " + file.get());
            return Optional.of(readFile(name, file.get()));
        }
        return Optional.empty();
    }

    private static String readFile(String name, Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new CredentialSourceException(NAME, "credentials." + name + "File " + file + " is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new CredentialSourceException(NAME, "credentials." + name + "File " + file + " does not exist");
        } catch (IOException e) {
            throw new CredentialSourceException(NAME, "cannot read credentials." + name + "File " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
