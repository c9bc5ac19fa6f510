package dev.cachekeeper.simulation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;
import software.amazon.awssdk.services.sns.model.CreateTopicResponse;
import software.amazon.awssdk.services.sns.model.InternalErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/**
 * SNS topics of the simulated account. Simulated operations: Publish, CreateTopic. A topic must exist to receive a
 * Publish ({@code NotFound} otherwise), as in AWS; create it with {@link #topic(String)} or CreateTopic.
 * Subscribers are Java callbacks, run after the publishing call has left the account (outside its lock), so an
 * ElastiCache notification can drive the ingest function in an end-to-end test.
 */
public final class SimulatedSns implements SnsClient {
    static final ServiceErrors ERRORS = new ServiceErrors("Sns", SnsException::builder, Map.of(
            "NotFound", new ServiceErrors.Modelled(404, NotFoundException::builder),
            "InvalidParameter", new ServiceErrors.Modelled(400, InvalidParameterException::builder),
            "AuthorizationError", new ServiceErrors.Modelled(403, AuthorizationErrorException::builder),
            "InternalError", new ServiceErrors.Modelled(500, InternalErrorException::builder),
            "Throttled", new ServiceErrors.Modelled(429, ThrottledException::builder)),
            "Throttling", 400);
    /** SNS's limit for a message with its attributes. */
    static final int MAX_MESSAGE_BYTES = 262_144;

    private static final class Topic {
        final String arn;
        volatile String kmsMasterKeyId;
        final List<Consumer<PublishedMessage>> subscribers = new CopyOnWriteArrayList<>();

        Topic(String arn) {
            this.arn = arn;
        }
    }

    private final SimulatedAws aws;
    private final Gate gate;
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final List<PublishedMessage> published = new CopyOnWriteArrayList<>();

    SimulatedSns(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "sns", ERRORS);
    }

    // ---- helpers for tests and scenarios ----

    /** The ARN of topic {@code name} in this account, creating the topic if needed. */
    public String topic(String name) {
        return aws.locked(() -> topics.computeIfAbsent(topicArn(name), Topic::new).arn);
    }

    public String topicArn(String name) {
        return "arn:" + aws.partition() + ":sns:" + aws.region() + ":" + aws.accountId() + ":" + name;
    }

    /** Marks a topic as encrypted with a KMS key: ElastiCache then cannot deliver to it (the topic goes inactive). */
    public void encryptTopic(String topicArn, String kmsKeyId) {
        aws.locked(() -> requireTopic(topicArn)).kmsMasterKeyId = kmsKeyId;
    }

    public boolean topicExists(String topicArn) {
        return aws.locked(() -> topics.containsKey(topicArn));
    }

    /** Calls {@code subscriber} for every message that reaches the topic from now on. */
    public void subscribe(String topicArn, Consumer<PublishedMessage> subscriber) {
        aws.locked(() -> requireTopic(topicArn)).subscribers.add(subscriber);
    }

    public List<PublishedMessage> published() {
        return List.copyOf(published);
    }

    public List<PublishedMessage> published(String topicArn) {
        return published.stream().filter(m -> m.topicArn().equals(topicArn)).toList();
    }

    public void clearPublished() {
        published.clear();
    }

    /** Whether AWS services (not callers of Publish) can deliver to this topic: it exists and is not encrypted. */
    boolean acceptsServiceNotifications(String topicArn) {
        Topic t = topics.get(topicArn);
        return t != null && t.kmsMasterKeyId == null;
    }

    /** Delivery by an AWS service (ElastiCache); not a Publish call, so not in the call log. Caller holds the lock. */
    void deliverFromService(String service, String topicArn, String subject, String message) {
        Topic t = topics.get(topicArn);
        if (t == null || t.kmsMasterKeyId != null) {
            return; // an inactive topic drops notifications silently, as ElastiCache does
        }
        deliver(t, subject, message, Map.of(), service);
    }

    private String deliver(Topic t, String subject, String message, Map<String, String> attributes, String by) {
        PublishedMessage m = new PublishedMessage(UUID.randomUUID().toString(), t.arn, subject, message, attributes,
                aws.clock().now(), by);
        published.add(m);
        List<Consumer<PublishedMessage>> subs = new ArrayList<>(t.subscribers);
        aws.afterUnlock(() -> subs.forEach(s -> s.accept(m)));
        return m.messageId();
    }

    private Topic requireTopic(String topicArn) {
        Topic t = topics.get(topicArn);
        if (t == null) {
            throw ERRORS.error("NotFound", "Topic does not exist");
        }
        return t;
    }

    // ---- SnsClient ----

    @Override
    public PublishResponse publish(PublishRequest r) {
        return gate.call("Publish", true, Gate.params("TopicArn", r.topicArn(), "Subject", r.subject()), () -> {
            if (r.topicArn() == null) {
                throw ERRORS.error("InvalidParameter",
                        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
            }
            if (r.message() == null || r.message().isEmpty()) {
                throw ERRORS.error("InvalidParameter", "Invalid parameter: Empty message");
            }
            if (r.subject() != null && (r.subject().isEmpty() || r.subject().length() > 100
                    || r.subject().chars().anyMatch(c -> c < 32 || c > 126))) {
                // SNS: up to 100 printable ASCII characters, no line breaks.
                throw ERRORS.error("InvalidParameter", "Invalid parameter: Subject");
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            int size = r.message().getBytes(StandardCharsets.UTF_8).length;
            if (r.hasMessageAttributes()) {
                if (r.messageAttributes().size() > 10) {
                    throw ERRORS.error("InvalidParameter",
                            "Invalid parameter: MessageAttributes Reason: at most 10 message attributes");
                }
                for (Map.Entry<String, MessageAttributeValue> e : r.messageAttributes().entrySet()) {
                    String v = e.getValue().stringValue();
                    if (e.getValue().dataType() == null) {
                        throw ERRORS.error("InvalidParameter", "Invalid parameter: MessageAttributes."
                                + e.getKey() + ".DataType Reason: required");
                    }
                    attrs.put(e.getKey(), v);
                    size += e.getKey().length() + e.getValue().dataType().length() + (v == null ? 0 : v.length());
                }
            }
            if (size > MAX_MESSAGE_BYTES) {
                throw ERRORS.error("InvalidParameter", "Invalid parameter: Message too long");
            }
            Topic t = requireTopic(r.topicArn());
            return PublishResponse.builder().messageId(deliver(t, r.subject(), r.message(), Map.copyOf(attrs), "api"))
                    .build();
        });
    }

    @Override
    public CreateTopicResponse createTopic(CreateTopicRequest r) {
        return gate.call("CreateTopic", true, Gate.params("Name", r.name()), () -> {
            if (r.name() == null || !r.name().matches("[A-Za-z0-9_-]{1,256}")) {
                throw ERRORS.error("InvalidParameter", "Invalid parameter: Topic Name");
            }
            Topic t = topics.computeIfAbsent(topicArn(r.name()), Topic::new);
            if (r.hasAttributes() && r.attributes().containsKey("KmsMasterKeyId")) {
                t.kmsMasterKeyId = r.attributes().get("KmsMasterKeyId");
            }
            return CreateTopicResponse.builder().topicArn(t.arn).build();
        });
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
