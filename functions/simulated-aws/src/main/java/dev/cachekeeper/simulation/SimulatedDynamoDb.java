package dev.cachekeeper.simulation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * DynamoDB tables of the simulated account, each with a string partition key and an optional TTL attribute.
 * Simulated operations: PutItem, GetItem, UpdateItem, DeleteItem. Create tables with {@link #createTable}.
 *
 * <p>Supported expression subset (anything else is a {@code ValidationException} naming the expression):
 * <ul>
 *   <li>ConditionExpression: clauses joined by {@code AND} / {@code OR} ({@code AND} binds tighter; no
 *       parentheses, no {@code NOT}); a clause is {@code attribute_exists(p)}, {@code attribute_not_exists(p)}, or
 *       {@code p OP :v} with OP one of {@code = <> < <= > >=} on S or N values.</li>
 *   <li>UpdateExpression: {@code SET p = :v, q = if_not_exists(q, :w), r = r + :n, s = s - :n} and
 *       {@code REMOVE p, q}, in that order when both are present.</li>
 *   <li>{@code p} is an attribute name or a {@code #placeholder} from ExpressionAttributeNames (no nested paths).</li>
 *   <li>ReturnValues: NONE, ALL_OLD (Put, Update, Delete), ALL_NEW and UPDATED_NEW (Update).</li>
 * </ul>
 * TTL: an item whose TTL attribute (a number, epoch seconds) is at or before the simulated time is removed when the
 * clock moves past it (real DynamoDB deletes within days; tests want determinism, so here it is at once).
 */
public final class SimulatedDynamoDb implements DynamoDbClient {
    static final ServiceErrors ERRORS = new ServiceErrors("DynamoDb", DynamoDbException::builder, Map.of(
            "ConditionalCheckFailedException", new ServiceErrors.Modelled(400, ConditionalCheckFailedException::builder),
            "ResourceNotFoundException", new ServiceErrors.Modelled(400, ResourceNotFoundException::builder),
            "ProvisionedThroughputExceededException",
            new ServiceErrors.Modelled(400, ProvisionedThroughputExceededException::builder),
            "InternalServerError", new ServiceErrors.Modelled(500, InternalServerErrorException::builder)),
            "ThrottlingException", 400);

    private static final class Table {
        final String name;
        final String partitionKey;
        final String ttlAttribute;
        final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();

        Table(String name, String partitionKey, String ttlAttribute) {
            this.name = name;
            this.partitionKey = partitionKey;
            this.ttlAttribute = ttlAttribute;
        }
    }

    private final SimulatedAws aws;
    private final Gate gate;
    private final Map<String, Table> tables = new HashMap<>();

    SimulatedDynamoDb(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "dynamodb", ERRORS);
    }

    // ---- helpers ----

    /** Creates a table keyed by a string attribute {@code partitionKey}; {@code ttlAttribute} may be null. */
    public void createTable(String name, String partitionKey, String ttlAttribute) {
        aws.locked(() -> tables.putIfAbsent(name, new Table(name, partitionKey, ttlAttribute)));
    }

    /** A table keyed by {@code pk} with TTL attribute {@code ttl}. */
    public void createTable(String name) {
        createTable(name, "pk", "ttl");
    }

    /** The items of a table as they are now (copies), for assertions. */
    public List<Map<String, AttributeValue>> items(String table) {
        return aws.locked(() -> new ArrayList<>(requireTable(table).items.values()));
    }

    /** Removes items whose TTL has passed. Called by the account's clock; caller holds the lock. */
    void expireItems(Instant now) {
        for (Table t : tables.values()) {
            if (t.ttlAttribute != null) {
                t.items.values().removeIf(item -> expired(t, item, now));
            }
        }
    }

    /** The earliest TTL still ahead, for the account's step loop. Caller holds the lock. */
    Instant nextExpiry() {
        Instant next = null;
        for (Table t : tables.values()) {
            if (t.ttlAttribute == null) {
                continue;
            }
            for (Map<String, AttributeValue> item : t.items.values()) {
                AttributeValue v = item.get(t.ttlAttribute);
                if (v != null && v.n() != null) {
                    Instant at = Instant.ofEpochSecond(new BigDecimal(v.n()).longValue());
                    if (next == null || at.isBefore(next)) {
                        next = at;
                    }
                }
            }
        }
        return next;
    }

    private static boolean expired(Table t, Map<String, AttributeValue> item, Instant now) {
        AttributeValue v = item.get(t.ttlAttribute);
        return v != null && v.n() != null && new BigDecimal(v.n()).longValue() <= now.getEpochSecond();
    }

    private Table requireTable(String name) {
        Table t = tables.get(name);
        if (t == null) {
            throw ERRORS.error("ResourceNotFoundException", "Requested resource not found");
        }
        return t;
    }

    private static String keyOf(Table t, Map<String, AttributeValue> key, boolean exact) {
        AttributeValue v = key == null ? null : key.get(t.partitionKey);
        if (v == null || v.s() == null || (exact && key.size() != 1)) {
            throw ERRORS.error("ValidationException",
                    "The provided key element does not match the schema");
        }
        return v.s();
    }

    // ---- DynamoDbClient ----

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
        return gate.call("PutItem", true, Gate.params("TableName", r.tableName(), "Key",
                r.hasItem() && r.item().containsKey("pk") ? r.item().get("pk").s() : null), () -> {
            Table t = requireTable(r.tableName());
            if (!r.hasItem() || !r.item().containsKey(t.partitionKey)) {
                throw ERRORS.error("ValidationException",
                        "One or more parameter values were invalid: Missing the key " + t.partitionKey + " in the item");
            }
            String key = keyOf(t, Map.of(t.partitionKey, r.item().get(t.partitionKey)), true);
            Map<String, AttributeValue> old = t.items.get(key);
            check(r.conditionExpression(), r.expressionAttributeNames(), r.expressionAttributeValues(), old);
            t.items.put(key, Map.copyOf(r.item()));
            PutItemResponse.Builder b = PutItemResponse.builder();
            if (r.returnValues() == ReturnValue.ALL_OLD && old != null) {
                b.attributes(old);
            }
            return b.build();
        });
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
        return gate.call("GetItem", false, Gate.params("TableName", r.tableName(), "Key", keyParam(r.key())), () -> {
            Table t = requireTable(r.tableName());
            Map<String, AttributeValue> item = t.items.get(keyOf(t, r.key(), true));
            return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
        });
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest r) {
        return gate.call("DeleteItem", true, Gate.params("TableName", r.tableName(), "Key", keyParam(r.key())), () -> {
            Table t = requireTable(r.tableName());
            String key = keyOf(t, r.key(), true);
            Map<String, AttributeValue> old = t.items.get(key);
            check(r.conditionExpression(), r.expressionAttributeNames(), r.expressionAttributeValues(), old);
            t.items.remove(key);
            DeleteItemResponse.Builder b = DeleteItemResponse.builder();
            if (r.returnValues() == ReturnValue.ALL_OLD && old != null) {
                b.attributes(old);
            }
            return b.build();
        });
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
        return gate.call("UpdateItem", true, Gate.params("TableName", r.tableName(), "Key", keyParam(r.key())), () -> {
            Table t = requireTable(r.tableName());
            String key = keyOf(t, r.key(), true);
            Map<String, AttributeValue> old = t.items.get(key);
            check(r.conditionExpression(), r.expressionAttributeNames(), r.expressionAttributeValues(), old);
            Map<String, AttributeValue> item = new LinkedHashMap<>(old == null ? r.key() : old);
            Map<String, AttributeValue> updated = new LinkedHashMap<>();
            applyUpdate(r.updateExpression(), r.expressionAttributeNames(), r.expressionAttributeValues(), item,
                    updated, t.partitionKey);
            t.items.put(key, Map.copyOf(item));
            UpdateItemResponse.Builder b = UpdateItemResponse.builder();
            ReturnValue rv = r.returnValues();
            if (rv == ReturnValue.ALL_NEW) {
                b.attributes(item);
            } else if (rv == ReturnValue.UPDATED_NEW) {
                b.attributes(updated);
            } else if (rv == ReturnValue.ALL_OLD && old != null) {
                b.attributes(old);
            }
            return b.build();
        });
    }

    private static String keyParam(Map<String, AttributeValue> key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        AttributeValue v = key.values().iterator().next();
        return v.s() != null ? v.s() : v.n();
    }

    // ---- expressions ----

    private static final Pattern FUNCTION = Pattern.compile("(attribute_exists|attribute_not_exists)\\(\\s*([#\\w]+)\\s*\\)");
    private static final Pattern COMPARISON = Pattern.compile("([#\\w]+)\\s*(=|<>|<=|>=|<|>)\\s*(:\\w+)");
    private static final Pattern SET_VALUE = Pattern.compile("([#\\w]+)\\s*=\\s*(:\\w+)");
    private static final Pattern SET_IF_NOT_EXISTS = Pattern.compile(
            "([#\\w]+)\\s*=\\s*if_not_exists\\(\\s*([#\\w]+)\\s*,\\s*(:\\w+)\\s*\\)");
    private static final Pattern SET_ARITHMETIC = Pattern.compile("([#\\w]+)\\s*=\\s*([#\\w]+)\\s*([+-])\\s*(:\\w+)");

    private static void check(String expression, Map<String, String> names, Map<String, AttributeValue> values,
                              Map<String, AttributeValue> item) {
        if (expression == null || expression.isBlank()) {
            return;
        }
        boolean result = false;
        for (String disjunct : expression.split("(?i)\\s+OR\\s+")) {
            boolean all = true;
            for (String clause : disjunct.split("(?i)\\s+AND\\s+")) {
                all &= clause(clause.trim(), expression, names, values, item);
            }
            result |= all;
        }
        if (!result) {
            throw ERRORS.error("ConditionalCheckFailedException", "The conditional request failed");
        }
    }

    private static boolean clause(String clause, String expression, Map<String, String> names,
                                  Map<String, AttributeValue> values, Map<String, AttributeValue> item) {
        Matcher f = FUNCTION.matcher(clause);
        if (f.matches()) {
            boolean exists = item != null && item.containsKey(name(f.group(2), names));
            return f.group(1).equals("attribute_exists") == exists;
        }
        Matcher c = COMPARISON.matcher(clause);
        if (c.matches()) {
            AttributeValue left = item == null ? null : item.get(name(c.group(1), names));
            AttributeValue right = value(c.group(3), values);
            if (left == null) {
                return false; // DynamoDB: a comparison with a missing attribute is false
            }
            int cmp;
            if (left.n() != null && right.n() != null) {
                cmp = new BigDecimal(left.n()).compareTo(new BigDecimal(right.n()));
            } else if (left.s() != null && right.s() != null) {
                cmp = left.s().compareTo(right.s());
            } else {
                // Different types: only (in)equality is meaningful, ordering is false.
                return switch (c.group(2)) {
                    case "=" -> left.equals(right);
                    case "<>" -> !left.equals(right);
                    default -> false;
                };
            }
            return switch (c.group(2)) {
                case "=" -> cmp == 0;
                case "<>" -> cmp != 0;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                default -> cmp >= 0;
            };
        }
        throw unsupported("ConditionExpression", expression);
    }

    private static void applyUpdate(String expression, Map<String, String> names, Map<String, AttributeValue> values,
                                    Map<String, AttributeValue> item, Map<String, AttributeValue> updated,
                                    String partitionKey) {
        if (expression == null || expression.isBlank()) {
            return;
        }
        Matcher m = Pattern.compile("(?i)^\\s*(?:SET\\s+(.*?))?\\s*(?:REMOVE\\s+(.*))?$").matcher(expression);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
            throw unsupported("UpdateExpression", expression);
        }
        if (m.group(1) != null) {
            for (String action : m.group(1).split(",(?![^(]*\\))")) {
                action = action.trim();
                Matcher inx = SET_IF_NOT_EXISTS.matcher(action);
                Matcher ar = SET_ARITHMETIC.matcher(action);
                Matcher sv = SET_VALUE.matcher(action);
                String target;
                AttributeValue v;
                if (inx.matches()) {
                    target = name(inx.group(1), names);
                    AttributeValue current = item.get(name(inx.group(2), names));
                    v = current != null ? current : value(inx.group(3), values);
                } else if (ar.matches()) {
                    target = name(ar.group(1), names);
                    AttributeValue current = item.get(name(ar.group(2), names));
                    AttributeValue operand = value(ar.group(4), values);
                    if (current == null || current.n() == null || operand.n() == null) {
                        throw ERRORS.error("ValidationException",
                                "The provided expression refers to an attribute that does not exist in the item");
                    }
                    BigDecimal a = new BigDecimal(current.n());
                    BigDecimal b = new BigDecimal(operand.n());
                    v = AttributeValue.fromN((ar.group(3).equals("+") ? a.add(b) : a.subtract(b)).toPlainString());
                } else if (sv.matches()) {
                    target = name(sv.group(1), names);
                    v = value(sv.group(2), values);
                } else {
                    throw unsupported("UpdateExpression", expression);
                }
                if (target.equals(partitionKey)) {
                    throw ERRORS.error("ValidationException", "One or more parameter values were invalid: Cannot "
                            + "update attribute " + target + ". This attribute is part of the key");
                }
                item.put(target, v);
                updated.put(target, v);
            }
        }
        if (m.group(2) != null) {
            for (String p : m.group(2).split(",")) {
                item.remove(name(p.trim(), names));
            }
        }
    }

    private static String name(String token, Map<String, String> names) {
        if (!token.startsWith("#")) {
            return token;
        }
        String n = names == null ? null : names.get(token);
        if (n == null) {
            throw ERRORS.error("ValidationException", "Value provided in ExpressionAttributeNames unused in "
                    + "expressions: An expression attribute name used in the document path is not defined; "
                    + "attribute name: " + token);
        }
        return n;
    }

    private static AttributeValue value(String token, Map<String, AttributeValue> values) {
        AttributeValue v = values == null ? null : values.get(token);
        if (v == null) {
            throw ERRORS.error("ValidationException",
                    "An expression attribute value used in expression is not defined; attribute value: " + token);
        }
        return v;
    }

    private static RuntimeException unsupported(String which, String expression) {
        return ERRORS.error("ValidationException", "Invalid " + which + ": '" + expression
                + "' is outside the subset the simulation supports (see SimulatedDynamoDb javadoc)");
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
