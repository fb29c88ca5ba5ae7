package ddpm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that trains a real TensorFlow network or starts several processes: seconds to tens of seconds each.
 * {@code mvn test} leaves these out, so a module's own loop stays near a minute; {@code mvn verify} (CI) runs
 * them after the others, in the integration-test phase (the root pom's "slow-tests" execution).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {
  String TAG = "slow";
}
