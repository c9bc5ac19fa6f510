package dev.cachekeeper.simulation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetBucketLocationRequest;
import software.amazon.awssdk.services.s3.model.GetBucketLocationResponse;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsRequest;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.OwnershipControls;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PutBucketAclRequest;
import software.amazon.awssdk.services.s3.model.PutBucketAclResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * S3 buckets of the simulated account: region, Object Ownership, bucket ACL grants (canonical user ids), objects.
 * Simulated operations: HeadBucket, GetBucketLocation, GetBucketAcl, PutBucketAcl, GetBucketOwnershipControls,
 * HeadObject, PutObject, GetObject, ListObjectsV2, DeleteObject.
 *
 * <p>As in S3: with Object Ownership {@code BucketOwnerEnforced} (the default for new buckets) ACLs are disabled;
 * reading the ACL still works and shows only the owner's FULL_CONTROL, while PutBucketAcl fails with
 * {@code AccessControlListNotSupported}. A bucket created with ownership {@code null} has no ownership controls
 * (an old bucket): GetBucketOwnershipControls then fails with {@code OwnershipControlsNotFoundError}.
 */
public final class SimulatedS3 implements S3Client {
    static final ServiceErrors ERRORS = new ServiceErrors("S3", S3Exception::builder, Map.of(
            "NoSuchBucket", new ServiceErrors.Modelled(404, NoSuchBucketException::builder),
            "NoSuchKey", new ServiceErrors.Modelled(404, NoSuchKeyException::builder),
            "AccessControlListNotSupported", new ServiceErrors.Modelled(400, S3Exception::builder),
            "OwnershipControlsNotFoundError", new ServiceErrors.Modelled(404, S3Exception::builder)),
            "SlowDown", 503);

    /** The canonical user id of the simulated account (owner of its buckets). */
    public static final String ACCOUNT_CANONICAL_ID =
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

    record StoredObject(byte[] bytes, Instant lastModified, String etag) {
    }

    static final class Bucket {
        final String name;
        final String region;
        volatile ObjectOwnership ownership;
        /** Canonical id to permissions; the owner's FULL_CONTROL is implicit. */
        final Map<String, Set<Permission>> grants = new TreeMap<>();
        final TreeMap<String, StoredObject> objects = new TreeMap<>();

        Bucket(String name, String region, ObjectOwnership ownership) {
            this.name = name;
            this.region = region;
            this.ownership = ownership;
        }

        boolean aclsEnabled() {
            return ownership != ObjectOwnership.BUCKET_OWNER_ENFORCED;
        }

        boolean grants(String canonicalId, Permission p) {
            Set<Permission> ps = grants.getOrDefault(canonicalId, Set.of());
            return aclsEnabled() && (ps.contains(p) || ps.contains(Permission.FULL_CONTROL));
        }
    }

    private final SimulatedAws aws;
    private final Gate gate;
    private final Map<String, Bucket> buckets = new TreeMap<>();

    SimulatedS3(SimulatedAws aws) {
        this.aws = aws;
        this.gate = new Gate(aws, "s3", ERRORS);
    }

    // ---- helpers ----

    /** Creates a bucket in the account's region with ACLs disabled (S3's default). */
    public void createBucket(String name) {
        createBucket(name, aws.region(), ObjectOwnership.BUCKET_OWNER_ENFORCED);
    }

    /** Creates a bucket; {@code ownership} null means no ownership controls at all (a bucket from before 2023). */
    public void createBucket(String name, String region, ObjectOwnership ownership) {
        aws.locked(() -> buckets.putIfAbsent(name, new Bucket(name, region, ownership)));
    }

    public void setOwnership(String bucket, ObjectOwnership ownership) {
        aws.locked(() -> requireBucket(bucket)).ownership = ownership;
    }

    /** Adds an ACL grant as PutBucketAcl would (recorded even while ACLs are disabled, when it has no effect). */
    public void grant(String bucket, String canonicalId, Permission... permissions) {
        aws.locked(() -> requireBucket(bucket).grants.computeIfAbsent(canonicalId, k -> new LinkedHashSet<>())
                .addAll(List.of(permissions)));
    }

    /** Grants ElastiCache's canonical id what export needs: READ (list), WRITE and READ_ACP. */
    public void grantElastiCacheExport(String bucket) {
        grant(bucket, SimulatedElastiCache.EXPORT_CANONICAL_ID, Permission.READ, Permission.WRITE, Permission.READ_ACP);
    }

    public boolean bucketExists(String bucket) {
        return aws.locked(() -> buckets.containsKey(bucket));
    }

    public List<String> keys(String bucket) {
        return aws.locked(() -> new ArrayList<>(requireBucket(bucket).objects.keySet()));
    }

    public byte[] objectBytes(String bucket, String key) {
        return aws.locked(() -> {
            StoredObject o = requireBucket(bucket).objects.get(key);
            if (o == null) {
                throw ERRORS.error("NoSuchKey", "The specified key does not exist.");
            }
            return o.bytes().clone();
        });
    }

    /** Writes an object without a call (as another AWS service or an earlier run would). Caller may hold the lock. */
    public void putObjectDirect(String bucket, String key, byte[] bytes) {
        aws.locked(() -> requireBucket(bucket).objects.put(key, new StoredObject(bytes.clone(), aws.clock().now(),
                etag(bytes))));
    }

    Bucket bucket(String name) {
        return buckets.get(name);
    }

    Iterable<Bucket> allBuckets() {
        return buckets.values();
    }

    private Bucket requireBucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw ERRORS.error("NoSuchBucket", "The specified bucket does not exist");
        }
        return b;
    }

    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- S3Client ----

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest r) {
        return gate.call("HeadBucket", false, Gate.params("Bucket", r.bucket()), () ->
                HeadBucketResponse.builder().bucketRegion(requireBucket(r.bucket()).region).build());
    }

    @Override
    public GetBucketLocationResponse getBucketLocation(GetBucketLocationRequest r) {
        return gate.call("GetBucketLocation", false, Gate.params("Bucket", r.bucket()), () -> {
            String region = requireBucket(r.bucket()).region;
            // S3 reports us-east-1 as an empty location constraint.
            return GetBucketLocationResponse.builder()
                    .locationConstraint(region.equals("us-east-1") ? null : region).build();
        });
    }

    @Override
    public GetBucketAclResponse getBucketAcl(GetBucketAclRequest r) {
        return gate.call("GetBucketAcl", false, Gate.params("Bucket", r.bucket()), () -> {
            Bucket b = requireBucket(r.bucket());
            List<Grant> grants = new ArrayList<>();
            grants.add(grant(ACCOUNT_CANONICAL_ID, Permission.FULL_CONTROL));
            if (b.aclsEnabled()) {
                b.grants.forEach((id, ps) -> ps.forEach(p -> grants.add(grant(id, p))));
            }
            return GetBucketAclResponse.builder()
                    .owner(Owner.builder().id(ACCOUNT_CANONICAL_ID).build()).grants(grants).build();
        });
    }

    @Override
    public PutBucketAclResponse putBucketAcl(PutBucketAclRequest r) {
        return gate.call("PutBucketAcl", true, Gate.params("Bucket", r.bucket()), () -> {
            Bucket b = requireBucket(r.bucket());
            if (!b.aclsEnabled()) {
                throw ERRORS.error("AccessControlListNotSupported", "The bucket does not allow ACLs");
            }
            if (r.accessControlPolicy() != null && r.accessControlPolicy().hasGrants()) {
                b.grants.clear();
                for (Grant g : r.accessControlPolicy().grants()) {
                    if (g.grantee() != null && g.grantee().id() != null && !g.grantee().id().equals(ACCOUNT_CANONICAL_ID)) {
                        b.grants.computeIfAbsent(g.grantee().id(), k -> new LinkedHashSet<>()).add(g.permission());
                    }
                }
            }
            return PutBucketAclResponse.builder().build();
        });
    }

    private static Grant grant(String id, Permission p) {
        return Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(id).build()).permission(p).build();
    }

    @Override
    public GetBucketOwnershipControlsResponse getBucketOwnershipControls(GetBucketOwnershipControlsRequest r) {
        return gate.call("GetBucketOwnershipControls", false, Gate.params("Bucket", r.bucket()), () -> {
            Bucket b = requireBucket(r.bucket());
            if (b.ownership == null) {
                throw ERRORS.error("OwnershipControlsNotFoundError",
                        "The bucket ownership controls were not found");
            }
            return GetBucketOwnershipControlsResponse.builder().ownershipControls(OwnershipControls.builder()
                    .rules(OwnershipControlsRule.builder().objectOwnership(b.ownership).build()).build()).build();
        });
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest r) {
        return gate.call("HeadObject", false, Gate.params("Bucket", r.bucket(), "Key", r.key()), () -> {
            StoredObject o = requireBucket(r.bucket()).objects.get(r.key());
            if (o == null) {
                // HEAD has no body: S3 answers a bare 404, which the SDK maps to NoSuchKeyException.
                throw ERRORS.error("NoSuchKey", "Not Found", 404);
            }
            return HeadObjectResponse.builder().contentLength((long) o.bytes().length).eTag(o.etag())
                    .lastModified(o.lastModified()).build();
        });
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest r, RequestBody body) {
        return gate.call("PutObject", true, Gate.params("Bucket", r.bucket(), "Key", r.key()), () -> {
            Bucket b = requireBucket(r.bucket());
            byte[] bytes;
            try (InputStream in = body.contentStreamProvider().newStream()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!b.aclsEnabled() && r.acl() != null && !r.aclAsString().equals("bucket-owner-full-control")) {
                throw ERRORS.error("AccessControlListNotSupported", "The bucket does not allow ACLs");
            }
            StoredObject o = new StoredObject(bytes, aws.clock().now(), etag(bytes));
            b.objects.put(r.key(), o);
            return PutObjectResponse.builder().eTag(o.etag()).build();
        });
    }

    @Override
    public <ReturnT> ReturnT getObject(GetObjectRequest r,
                                       ResponseTransformer<GetObjectResponse, ReturnT> transformer) {
        StoredObject o = gate.call("GetObject", false, Gate.params("Bucket", r.bucket(), "Key", r.key()), () -> {
            StoredObject found = requireBucket(r.bucket()).objects.get(r.key());
            if (found == null) {
                throw ERRORS.error("NoSuchKey", "The specified key does not exist.");
            }
            return found;
        });
        GetObjectResponse response = GetObjectResponse.builder().contentLength((long) o.bytes().length)
                .eTag(o.etag()).lastModified(o.lastModified()).build();
        try {
            return transformer.transform(response, AbortableInputStream.create(new ByteArrayInputStream(o.bytes())));
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest r) {
        return getObject(r, ResponseTransformer.toBytes());
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request r) {
        return gate.call("ListObjectsV2", false, Gate.params("Bucket", r.bucket(), "Prefix", r.prefix()), () -> {
            Bucket b = requireBucket(r.bucket());
            int max = r.maxKeys() == null ? 1000 : Math.max(0, Math.min(1000, r.maxKeys()));
            String after = r.continuationToken() != null ? r.continuationToken() : r.startAfter();
            List<S3Object> contents = new ArrayList<>();
            boolean truncated = false;
            String last = null;
            for (Map.Entry<String, StoredObject> e : (after == null ? b.objects : b.objects.tailMap(after, false))
                    .entrySet()) {
                if (r.prefix() != null && !e.getKey().startsWith(r.prefix())) {
                    continue;
                }
                if (contents.size() == max) {
                    truncated = true;
                    break;
                }
                contents.add(S3Object.builder().key(e.getKey()).size((long) e.getValue().bytes().length)
                        .eTag(e.getValue().etag()).lastModified(e.getValue().lastModified()).build());
                last = e.getKey();
            }
            ListObjectsV2Response.Builder resp = ListObjectsV2Response.builder().name(b.name).prefix(r.prefix())
                    .contents(contents).keyCount(contents.size()).maxKeys(max).isTruncated(truncated)
                    .continuationToken(r.continuationToken());
            if (truncated) {
                resp.nextContinuationToken(last);
            }
            return resp.build();
        });
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest r) {
        return gate.call("DeleteObject", true, Gate.params("Bucket", r.bucket(), "Key", r.key()), () -> {
            requireBucket(r.bucket()).objects.remove(r.key()); // deleting a missing key succeeds, as in S3
            return DeleteObjectResponse.builder().build();
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
