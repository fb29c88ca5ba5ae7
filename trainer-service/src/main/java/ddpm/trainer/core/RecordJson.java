package ddpm.trainer.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Records as JSON objects and back, component by component, each under its name in snake_case
 * ({@code batchSize} → "batch_size"). A record whose components mirror a proto message's fields thereby reads
 * and writes that message's JSON (protobuf's JsonFormat with the proto's field names), so the record is the one
 * hand-written list of the fields besides the .proto.
 *
 * <p>As in proto3's JSON, an absent key reads as the zero value: "", 0, false, an empty list; and as null for
 * the types that can be unset (boxed numbers, named values, nested records), whose null values are left out when
 * writing. Components may be String, boolean, int, long, double, their boxes, {@code List<Integer>}, records,
 * and the types given {@link Names}.
 */
final class RecordJson {
  /** A long that holds a uint64 (a seed): written as an unsigned number. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  @interface Unsigned {}

  /**
   * A type written as its name: {@code name} gives a value's; {@code parse} reads one, given the dotted field
   * name for its IllegalArgumentException.
   */
  record Names<T>(Class<T> type, Function<T, String> name, BiFunction<String, String, T> parse) {}

  private final Map<Class<?>, Names<?>> names;

  RecordJson(List<Names<?>> named) {
    this.names = named.stream().collect(Collectors.toMap(Names::type, n -> n));
  }

  JsonObject write(Record record) {
    JsonObject json = new JsonObject();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object value = get(c, record);
      if (value != null) {
        json.add(key(c), element(c, value));
      }
    }
    return json;
  }

  /**
   * The record {@code json} describes, as its constructor checks it (IllegalArgumentException naming the field),
   * as does a named value's parse. JSON that does not fit the record's shape (a key it has no component for,
   * an object where a number belongs) is the caller's mistake: IllegalStateException and its kin.
   */
  <R extends Record> R read(Class<R> type, JsonObject json) {
    return read(type, json, "");
  }

  private <R extends Record> R read(Class<R> type, JsonObject json, String prefix) {
    RecordComponent[] components = type.getRecordComponents();
    for (String key : json.keySet()) {
      if (Arrays.stream(components).noneMatch(c -> key(c).equals(key))) {
        throw new IllegalStateException(type.getSimpleName() + " has no component for " + prefix + key);
      }
    }
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String field = prefix + key(c);
      JsonElement element = json.get(key(c));
      values[i] = element == null || element.isJsonNull() ? absent(c.getType()) : value(c, element, field);
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " is not a record this can build", e);
    }
  }

  private JsonElement element(RecordComponent c, Object value) {
    if (value instanceof Long l && c.isAnnotationPresent(Unsigned.class)) {
      return new JsonPrimitive(new BigInteger(Long.toUnsignedString(l)));
    }
    return element(value);
  }

  @SuppressWarnings("unchecked")
  private JsonElement element(Object value) {
    if (value instanceof String s) {
      return new JsonPrimitive(s);
    }
    if (value instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(v -> array.add(element(v)));
      return array;
    }
    if (value instanceof Record r) {
      return write(r);
    }
    Names<Object> named = (Names<Object>) names.get(value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass());
    if (named == null) {
      throw new IllegalStateException("no JSON form for " + value.getClass());
    }
    return new JsonPrimitive(named.name().apply(value));
  }

  private Object value(RecordComponent c, JsonElement element, String field) {
    Class<?> type = c.getType();
    if (type == long.class || type == Long.class) {
      return c.isAnnotationPresent(Unsigned.class) ? new BigInteger(element.getAsString()).longValue()
          : element.getAsLong();
    }
    if (type == List.class) {
      Type item = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
      if (item != Integer.class) {
        throw new IllegalStateException("lists of " + item + " have no JSON form here");
      }
      List<Integer> list = new ArrayList<>();
      element.getAsJsonArray().forEach(e -> list.add(e.getAsInt()));
      return list;
    }
    if (type.isRecord()) {
      return read(type.asSubclass(Record.class), element.getAsJsonObject(), field + ".");
    }
    return scalar(type, element, field);
  }

  private Object scalar(Class<?> type, JsonElement element, String field) {
    if (type == String.class) {
      return element.getAsString();
    }
    if (type == int.class || type == Integer.class) {
      return element.getAsInt();
    }
    if (type == double.class || type == Double.class) {
      return element.getAsDouble();
    }
    if (type == boolean.class || type == Boolean.class) {
      return element.getAsBoolean();
    }
    Names<?> named = names.get(type);
    if (named == null) {
      throw new IllegalStateException("no JSON form for " + type);
    }
    return named.parse().apply(element.getAsString(), field);
  }

  /** proto3's zero values for what cannot be unset, null for the rest. */
  private static Object absent(Class<?> type) {
    if (type == String.class) {
      return "";
    }
    if (type == List.class) {
      return List.of();
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == boolean.class) {
      return false;
    }
    return null;
  }

  private static Object get(RecordComponent c, Record record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }

  /** batchSize → batch_size. */
  private static String key(RecordComponent c) {
    return c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }
}
