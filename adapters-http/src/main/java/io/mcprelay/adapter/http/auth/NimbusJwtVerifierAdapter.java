package io.mcprelay.adapter.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.mcprelay.application.port.out.TokenVerifierPort;
import io.mcprelay.domain.auth.Authentication;
import io.mcprelay.domain.auth.Principal;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWT access tokens (RFC 9068) with Nimbus JOSE+JWT: an asymmetric signature (RSA, RSA-PSS
 * or EC; never {@code none}, never an HMAC, so a token "signed" with the public key as a shared
 * secret is refused) by a key of the issuer's JWKS, {@code typ} {@code JWT} or {@code at+jwt},
 * {@code iss} exactly the issuer, {@code aud} naming this resource, {@code sub} present, and
 * {@code exp} / {@code nbf} within the clock skew.
 *
 * <p>The key set is fetched once and kept ({@link JwksCache}); a token with an unknown {@code kid}
 * fetches it again, at most once per {@link JwtVerifierConfig#jwksMinRefresh()}; every fetch is
 * bounded in time and size ({@link BoundedRetriever}); while the endpoint cannot be reached the held
 * keys go on being used. A request whose key cannot be had is refused, never held past the deadline.
 *
 * <p>A token that passed is remembered by its hash until it expires, five minutes at most
 * ({@link VerifiedTokens}): clients send the same token with every request, and its signature need
 * not be checked each time. Keys rotated away within those minutes do not cut tokens already verified.
 */
public final class NimbusJwtVerifierAdapter implements TokenVerifierPort {

    private static final System.Logger LOG = System.getLogger(NimbusJwtVerifierAdapter.class.getName());
    /** Asymmetric algorithms only: an HMAC "key" would be whatever the attacker says it is. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** How long a verified token is taken on trust before its signature is checked again. */
    private static final java.time.Duration VERIFIED_TTL = java.time.Duration.ofMinutes(5);
    private static final int VERIFIED_MAX = 10_000;

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final VerifiedTokens verified = new VerifiedTokens(VERIFIED_TTL, VERIFIED_MAX, System::nanoTime);

    public NimbusJwtVerifierAdapter(JwtVerifierConfig config) {
        Objects.requireNonNull(config, "config");
        JwksCache keys;
        try {
            keys = new JwksCache(new BoundedRetriever(config.jwksTimeout(), config.jwksMaxBytes()), config.jwksUri().toURL(), config,
                    System::nanoTime);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URI is not a URL: " + config.jwksUri(), e);
        }
        keys.prefetch();
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(config.audiences(),
                new JWTClaimsSet.Builder().issuer(config.issuer().toString()).build(), Set.of("sub", "exp"), null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, config.clockSkew().toSeconds()));
        jwt.setJWTClaimsSetVerifier(claims);
        this.processor = jwt;
    }

    @Override
    public Authentication verify(String token) {
        Optional<Principal> known = verified.find(token);
        if (known.isPresent()) {
            return new Authentication.Authenticated(known.get());
        }
        return check(token);
    }

    private Authentication check(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            return Authentication.invalid("the token is not a JWT");
        } catch (BadJWTException e) {
            return Authentication.invalid("the token was refused: " + e.getMessage());
        } catch (BadJOSEException e) {
            return Authentication.invalid("the token's signature was refused: " + e.getMessage());
        } catch (KeySourceException e) {
            LOG.log(System.Logger.Level.DEBUG, "a token refused for want of its signing key: {0}", e.getMessage());
            return Authentication.invalid("the token's signing key cannot be checked now");
        } catch (JOSEException | RuntimeException e) {
            return Authentication.invalid("the token cannot be verified");
        }
        Authentication result = principal(claims);
        if (result instanceof Authentication.Authenticated ok && claims.getExpirationTime() != null) {
            verified.remember(token, ok.principal(),
                    java.time.Duration.ofMillis(claims.getExpirationTime().getTime() - System.currentTimeMillis()));
        }
        return result;
    }

    private static Authentication principal(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (subject == null || subject.isEmpty() || subject.length() > Principal.MAX_SUBJECT_LENGTH
                || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Authentication.invalid("the token's subject is empty, too long or not printable");
        }
        Set<String> scopes = scopes(claims);
        if (scopes.size() > Principal.MAX_SCOPES) {
            return Authentication.invalid("the token grants more than " + Principal.MAX_SCOPES + " scopes");
        }
        return new Authentication.Authenticated(new Principal(subject, scopes, Principal.selectClaims(claims.getClaims())));
    }

    /** RFC 9068's {@code scope} (space-separated), or the {@code scp} array some issuers send instead. */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        Object scp = claims.getClaim("scp");
        for (Object source : new Object[] {scope, scp}) {
            if (source instanceof String text) {
                for (String s : text.split(" ")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            } else if (source instanceof Collection<?> list) {
                list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
            }
        }
        return scopes;
    }

    /** The algorithms a token may be signed with, for the metadata and the docs. */
    public static List<String> algorithms() {
        return ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList();
    }
}
