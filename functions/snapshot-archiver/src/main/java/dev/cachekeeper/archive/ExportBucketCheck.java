package dev.cachekeeper.archive;

import dev.cachekeeper.core.aws.Retrier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

/**
 * Checks, before anything is exported, that ElastiCache will be able to write to the bucket, and says exactly
 * what is wrong when it will not: the export call itself fails late and vaguely. ElastiCache needs the bucket in
 * the cache's region and, outside opt-in regions, an ACL grant to its canonical user (READ, WRITE, READ_ACP), which
 * only works when the bucket's ACLs are enabled (Object Ownership not BucketOwnerEnforced, the S3 default). In
 * opt-in regions the grant is a bucket policy for {@code <region>.elasticache-snapshot.amazonaws.com}.
 */
public final class ExportBucketCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ExportBucketCheck.class);

    /** ElastiCache's canonical user in the aws partition (GovCloud and China have their own). */
    public static final String ELASTICACHE_CANONICAL_ID =
            "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353";
    static final Set<Permission> NEEDED = EnumSet.of(Permission.READ, Permission.WRITE, Permission.READ_ACP);
    /** Regions that must be enabled per account; ElastiCache's export grant there is a bucket policy. */
    static final Set<String> OPT_IN_REGIONS = Set.of("af-south-1", "ap-east-1", "ap-east-2", "ap-south-2",
            "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
            "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1");

    /** {@code problem} is null when the bucket is fit for export; else one sentence a person can act on. */
    public record Result(String bucket, String problem, List<String> notes) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final S3Client s3;
    private final Retrier retrier;

    public ExportBucketCheck(S3Client s3, Retrier retrier) {
        this.s3 = s3;
        this.retrier = retrier;
    }

    /**
     * @param fixAcl add ElastiCache's grant when it is missing (only for the bucket the stack created for this;
     *               never for a bucket the operator brought, and never in a dry run)
     */
    public Result check(String bucket, String region, boolean fixAcl) {
        List<String> notes = new ArrayList<>();
        String location;
        try {
            location = retrier.call(() -> s3.getBucketLocation(b -> b.bucket(bucket))).locationConstraintAsString();
        } catch (AwsServiceException e) {
            return fail(bucket, notes, switch (Retrier.errorCode(e)) {
                case "NoSuchBucket" -> "bucket '" + bucket + "' does not exist (ExportBucketName names it; create it"
                        + " in " + region + " or set CreateExportBucket=true)";
                case "AccessDenied" -> "the archiver may not read bucket '" + bucket + "' (s3:GetBucketLocation"
                        + " denied): it belongs to another account or a bucket policy denies it";
                default -> "cannot read bucket '" + bucket + "': " + Retrier.errorCode(e) + " " + e.getMessage();
            });
        }
        String bucketRegion = location == null || location.isBlank() ? "us-east-1"
                : "EU".equals(location) ? "eu-west-1" : location;
        if (!bucketRegion.equals(region)) {
            return fail(bucket, notes, "bucket '" + bucket + "' is in " + bucketRegion + ", but ElastiCache exports"
                    + " only to a bucket in the cache's own region, " + region);
        }
        if (region.startsWith("cn-") || region.startsWith("us-gov-")) {
            notes.add("ElastiCache's canonical id differs in " + region + "'s partition: its grant was not checked");
            return ok(bucket, notes);
        }
        if (OPT_IN_REGIONS.contains(region)) {
            return checkPolicy(bucket, region, notes);
        }
        try {
            ObjectOwnership ownership = retrier.call(() -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)))
                    .ownershipControls().rules().getFirst().objectOwnership();
            if (ownership == ObjectOwnership.BUCKET_OWNER_ENFORCED) {
                return fail(bucket, notes, "bucket '" + bucket + "' has ACLs disabled (Object Ownership ="
                        + " BucketOwnerEnforced, the S3 default), so it cannot grant ElastiCache access: set Object"
                        + " Ownership to BucketOwnerPreferred and grant canonical id " + ELASTICACHE_CANONICAL_ID
                        + " READ, WRITE and READ_ACP");
            }
        } catch (AwsServiceException e) {
            if (!"OwnershipControlsNotFoundError".equals(Retrier.errorCode(e))) {
                return fail(bucket, notes, "cannot read bucket '" + bucket + "' ownership controls"
                        + " (s3:GetBucketOwnershipControls): " + Retrier.errorCode(e));
            }
            // No ownership controls at all: an older bucket, whose ACLs are enabled.
        }
        GetBucketAclResponse acl;
        try {
            acl = retrier.call(() -> s3.getBucketAcl(b -> b.bucket(bucket)));
        } catch (AwsServiceException e) {
            return fail(bucket, notes, "cannot read bucket '" + bucket + "' ACL (s3:GetBucketAcl): "
                    + Retrier.errorCode(e));
        }
        Set<Permission> granted = EnumSet.noneOf(Permission.class);
        for (Grant g : acl.grants()) {
            if (g.grantee() != null && ELASTICACHE_CANONICAL_ID.equals(g.grantee().id()) && g.permission() != null) {
                granted.add(g.permission());
            }
        }
        if (granted.contains(Permission.FULL_CONTROL) || granted.containsAll(NEEDED)) {
            return ok(bucket, notes);
        }
        List<Permission> missing = java.util.stream.Stream.of(Permission.READ, Permission.WRITE, Permission.READ_ACP)
                .filter(p -> !granted.contains(p)).toList();
        if (fixAcl) {
            List<Grant> grants = new ArrayList<>(acl.grants());
            for (Permission p : missing) {
                grants.add(Grant.builder().permission(p).grantee(Grantee.builder().type(Type.CANONICAL_USER)
                        .id(ELASTICACHE_CANONICAL_ID).build()).build());
            }
            retrier.run(() -> s3.putBucketAcl(b -> b.bucket(bucket).accessControlPolicy(AccessControlPolicy.builder()
                    .owner(acl.owner()).grants(grants).build())));
            notes.add("granted ElastiCache " + missing + " on the stack's export bucket");
            LOG.info("export bucket ACL completed", entry("bucket", bucket), entry("added", missing.toString()));
            return ok(bucket, notes);
        }
        return fail(bucket, notes, "bucket '" + bucket + "' does not grant ElastiCache (canonical id "
                + ELASTICACHE_CANONICAL_ID + ") " + missing + " in its ACL; ElastiCache needs READ, WRITE and"
                + " READ_ACP");
    }

    private Result checkPolicy(String bucket, String region, List<String> notes) {
        String principal = region + ".elasticache-snapshot.amazonaws.com";
        try {
            String policy = retrier.call(() -> s3.getBucketPolicy(b -> b.bucket(bucket))).policy();
            if (policy != null && policy.contains(principal)) {
                return ok(bucket, notes);
            }
            return fail(bucket, notes, "bucket '" + bucket + "' policy does not name " + principal + ", which"
                    + " ElastiCache uses in the opt-in region " + region);
        } catch (AwsServiceException e) {
            if ("NoSuchBucketPolicy".equals(Retrier.errorCode(e))) {
                return fail(bucket, notes, "bucket '" + bucket + "' has no bucket policy; in the opt-in region "
                        + region + " ElastiCache needs one allowing " + principal
                        + " s3:PutObject, s3:GetObject, s3:ListBucket, s3:GetBucketAcl, s3:ListMultipartUploadParts"
                        + " and s3:ListBucketMultipartUploads");
            }
            return fail(bucket, notes, "cannot read bucket '" + bucket + "' policy (s3:GetBucketPolicy): "
                    + Retrier.errorCode(e));
        }
    }

    private static Result ok(String bucket, List<String> notes) {
        return new Result(bucket, null, List.copyOf(notes));
    }

    private static Result fail(String bucket, List<String> notes, String problem) {
        return new Result(bucket, problem, List.copyOf(notes));
    }
}
