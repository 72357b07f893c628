import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.strimzi.api.kafka.model.common.UnknownPropertyPreserving;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks Strimzi resources against Strimzi's own API model (io.strimzi:api from Maven Central), because Strimzi
 * publishes its CRD yamls to no package registry. The operator reads resources into these classes: a wrong
 * type fails here as it would there, and an unknown field, which Strimzi keeps aside and only warns about,
 * fails here (the model's "additional properties" must stay empty). Other kinds are skipped.
 *
 *   java -cp 'LIBS/*' StrimziCheck.java FILE...
 */
public class StrimziCheck {
    static final Map<String, String> MODELS = Map.of(
            "kafka.strimzi.io/v1beta2 Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "kafka.strimzi.io/v1beta2 KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "kafka.strimzi.io/v1beta2 KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic");

    public static void main(String[] args) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper strict = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        int valid = 0, invalid = 0;
        for (String file : args) {
            for (JsonNode doc : yaml.readerFor(JsonNode.class).readValues(new File(file)).readAll().stream().map(JsonNode.class::cast).toList()) {
                if (doc == null || !doc.has("kind")) continue;
                String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
                String name = doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
                if (!key.startsWith("kafka.strimzi.io/")) continue;
                List<String> problems = new ArrayList<>();
                if (!MODELS.containsKey(key)) {
                    problems.add("no Strimzi model for " + key);
                } else {
                    try {
                        Object resource = strict.treeToValue(doc, Class.forName(MODELS.get(key)));
                        walk(resource, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
                    } catch (Exception e) {
                        problems.add(e.getMessage().split("\n")[0]);
                    }
                }
                if (problems.isEmpty()) {
                    valid++;
                } else {
                    invalid++;
                    System.out.println(file + " - " + name + " is invalid: " + String.join("; ", problems));
                }
            }
        }
        System.out.println("Strimzi model " + io.strimzi.api.kafka.model.kafka.Kafka.class.getPackage().getImplementationVersion()
                + ": " + (valid + invalid) + " resources - Valid: " + valid + ", Invalid: " + invalid);
        System.exit(invalid == 0 ? 0 : 1);
    }

    static void walk(Object node, String path, List<String> problems, Set<Object> seen) throws Exception {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Enum || !seen.add(node)) return;
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) walk(e.getValue(), path + "/" + e.getKey(), problems, seen);
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) walk(item, path + "/" + i++, problems, seen);
            return;
        }
        if (node instanceof UnknownPropertyPreserving preserving) {
            Map<String, Object> extra = preserving.getAdditionalProperties();
            if (extra != null && !extra.isEmpty()) problems.add("unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "/" : path));
        }
        if (!node.getClass().getName().startsWith("io.strimzi.")) return;
        for (Method m : node.getClass().getMethods()) {
            String n = m.getName();
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || n.equals("getClass")
                    || n.equals("getAdditionalProperties") || !(n.startsWith("get") || n.startsWith("is"))) continue;
            String field = Character.toLowerCase(n.charAt(n.startsWith("is") ? 2 : 3)) + n.substring(n.startsWith("is") ? 3 : 4);
            walk(m.invoke(node), path + "/" + field, problems, seen);
        }
    }
}
