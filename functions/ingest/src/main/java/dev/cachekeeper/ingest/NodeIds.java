package dev.cachekeeper.ingest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a member cache cluster's id says about its place: ElastiCache names the nodes of a replication group
 * {@code <group>-<shard 4 digits>-<node 3 digits>} when cluster mode is enabled and {@code <group>-<node 3 digits>}
 * when it is disabled (one shard, {@code 0001}). Only a fallback: DescribeCacheClusters is asked first, because a
 * stand-alone cluster may be named like that too.
 */
public record NodeIds(String replicationGroupId, String shardId) {
    private static final Pattern CLUSTER_MODE = Pattern.compile("^(.+)-(\\d{4})-(\\d{3})$");
    private static final Pattern SINGLE_SHARD = Pattern.compile("^(.+)-(\\d{3})$");
    /** A cluster-mode-disabled group has one node group, {@code 0001}. */
    public static final String SINGLE_SHARD_ID = "0001";

    public static Optional<NodeIds> parse(String nodeId) {
        if (nodeId == null) {
            return Optional.empty();
        }
        Matcher m = CLUSTER_MODE.matcher(nodeId);
        if (m.matches()) {
            return Optional.of(new NodeIds(m.group(1), m.group(2)));
        }
        m = SINGLE_SHARD.matcher(nodeId);
        if (m.matches()) {
            return Optional.of(new NodeIds(m.group(1), SINGLE_SHARD_ID));
        }
        return Optional.empty();
    }

    /** The shard of a node whose group is already known: only read from the id when it carries the group's name. */
    public static String shardOf(String nodeId, String replicationGroupId) {
        return parse(nodeId).filter(n -> n.replicationGroupId().equalsIgnoreCase(replicationGroupId))
                .map(NodeIds::shardId).orElse(null);
    }
}
