package dev.cachekeeper.simulation;

import java.util.List;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CacheNode;
import software.amazon.awssdk.services.elasticache.model.CacheParameterGroupStatus;
import software.amazon.awssdk.services.elasticache.model.DataTieringStatus;
import software.amazon.awssdk.services.elasticache.model.Endpoint;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupConfiguration;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.NodeSnapshot;
import software.amazon.awssdk.services.elasticache.model.NotificationConfiguration;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.elasticache.model.ServerlessCache;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheConfiguration;
import software.amazon.awssdk.services.elasticache.model.ServerlessCacheSnapshot;
import software.amazon.awssdk.services.elasticache.model.Snapshot;

/** Turns the simulated state into the SDK's response shapes, field by field as ElastiCache fills them. */
final class ElastiCacheViews {
    private final ElastiCacheModel model;

    ElastiCacheViews(ElastiCacheModel model) {
        this.model = model;
    }

    ReplicationGroup group(ReplicationGroupState g) {
        String suffix = model.endpointSuffix();
        CacheSettings s = g.settings;
        ReplicationGroup.Builder b = ReplicationGroup.builder()
                .replicationGroupId(g.id)
                .description(g.description)
                .status(g.status)
                .memberClusters(g.members().map(m -> m.clusterId).toList())
                .snapshottingClusterId(g.snapshottingClusterId)
                .automaticFailover(g.automaticFailover ? AutomaticFailoverStatus.ENABLED : AutomaticFailoverStatus.DISABLED)
                .multiAZ(g.multiAz ? MultiAZStatus.ENABLED : MultiAZStatus.DISABLED)
                .snapshotRetentionLimit(s.snapshotRetentionLimit)
                .snapshotWindow(s.snapshotWindow)
                .clusterEnabled(g.clusterEnabled)
                .clusterMode(g.clusterEnabled ? "enabled" : "disabled")
                .cacheNodeType(s.cacheNodeType)
                .engine(s.engine)
                .authTokenEnabled(s.authTokenEnabled)
                .transitEncryptionEnabled(s.transitEncryptionEnabled)
                .atRestEncryptionEnabled(s.atRestEncryptionEnabled)
                .kmsKeyId(s.kmsKeyId)
                .arn(model.arn("replicationgroup", g.id))
                .replicationGroupCreateTime(g.createTime)
                .dataTiering(s.dataTiering ? DataTieringStatus.ENABLED : DataTieringStatus.DISABLED)
                .autoMinorVersionUpgrade(s.autoMinorVersionUpgrade)
                .networkType("ipv4")
                .ipDiscovery("ipv4");
        if (g.clusterEnabled && !g.status.equals("creating")) {
            b.configurationEndpoint(endpoint(g.id + ".clustercfg", s.port));
        }
        b.nodeGroups(g.shards.stream().map(shard -> {
            NodeGroup.Builder ng = NodeGroup.builder().nodeGroupId(shard.id)
                    .status(g.status.equals("creating") ? "creating" : "available");
            if (g.clusterEnabled) {
                ng.slots(shard.slots);
            } else if (!g.status.equals("creating")) {
                ng.primaryEndpoint(endpoint(g.id + ".ng", s.port)).readerEndpoint(endpoint(g.id + "-ro.ng", s.port));
            }
            ng.nodeGroupMembers(shard.members.stream().map(m -> {
                NodeGroupMember.Builder nm = NodeGroupMember.builder().cacheClusterId(m.clusterId).cacheNodeId("0001")
                        .preferredAvailabilityZone(m.availabilityZone);
                if (!g.clusterEnabled) {
                    // ElastiCache reports roles and per-node endpoints only for cluster-mode-disabled groups.
                    nm.currentRole(m.role);
                    if (!g.status.equals("creating")) {
                        nm.readEndpoint(endpoint(m.clusterId, s.port));
                    }
                }
                return nm.build();
            }).toList());
            return ng.build();
        }).toList());
        return b.build();
    }

    private Endpoint endpoint(String host, int port) {
        return Endpoint.builder().address(host + "." + model.endpointSuffix()).port(port).build();
    }

    CacheCluster cluster(CacheNodeState c, boolean showNodeInfo) {
        CacheSettings s = model.settingsOf(c);
        ReplicationGroupState g = c.replicationGroupId == null ? null : model.groups.get(c.replicationGroupId);
        boolean clusterEnabled = g != null && g.clusterEnabled;
        CacheCluster.Builder b = CacheCluster.builder()
                .cacheClusterId(c.clusterId)
                .cacheNodeType(s.cacheNodeType)
                .engine(s.engine)
                .engineVersion(s.engineVersion)
                .cacheClusterStatus(c.status)
                .numCacheNodes(1)
                .preferredAvailabilityZone(c.availabilityZone)
                .cacheClusterCreateTime(c.createTime)
                .preferredMaintenanceWindow(s.preferredMaintenanceWindow)
                .cacheSecurityGroups(List.of())
                .securityGroups(s.securityGroupIds.stream()
                        .map(id -> SecurityGroupMembership.builder().securityGroupId(id).status("active").build())
                        .toList())
                .cacheParameterGroup(CacheParameterGroupStatus.builder()
                        .cacheParameterGroupName(s.cacheParameterGroupName).parameterApplyStatus("in-sync").build())
                .cacheSubnetGroupName(s.cacheSubnetGroupName)
                .autoMinorVersionUpgrade(s.autoMinorVersionUpgrade)
                .replicationGroupId(c.replicationGroupId)
                .authTokenEnabled(s.authTokenEnabled)
                .transitEncryptionEnabled(s.transitEncryptionEnabled)
                .atRestEncryptionEnabled(s.atRestEncryptionEnabled)
                .arn(model.arn("cluster", c.clusterId))
                .replicationGroupLogDeliveryEnabled(false)
                .networkType("ipv4")
                .ipDiscovery("ipv4");
        if (!clusterEnabled) {
            // Backup settings of a cluster-mode-enabled group live on the group only.
            b.snapshotRetentionLimit(s.snapshotRetentionLimit).snapshotWindow(s.snapshotWindow);
        }
        if (c.notificationTopicArn != null) {
            b.notificationConfiguration(NotificationConfiguration.builder().topicArn(c.notificationTopicArn)
                    .topicStatus(model.aws.sns().acceptsServiceNotifications(c.notificationTopicArn) ? "active" : "inactive")
                    .build());
        }
        if (showNodeInfo) {
            CacheNode.Builder n = CacheNode.builder().cacheNodeId("0001")
                    .cacheNodeStatus(c.status.equals("snapshotting") ? "available" : c.status)
                    .cacheNodeCreateTime(c.createTime).parameterGroupStatus("in-sync")
                    .customerAvailabilityZone(c.availabilityZone);
            if (!c.status.equals("creating")) {
                n.endpoint(endpoint(c.clusterId + (clusterEnabled ? "" : ".0001"), s.port));
            }
            b.cacheNodes(n.build());
        }
        return b.build();
    }

    Snapshot snapshot(SnapshotState s, boolean showNodeGroupConfig) {
        CacheSettings c = s.settings;
        return Snapshot.builder()
                .snapshotName(s.name)
                .replicationGroupId(s.replicationGroupId)
                .replicationGroupDescription(s.replicationGroupDescription)
                .cacheClusterId(s.cacheClusterId)
                .snapshotStatus(s.status)
                .snapshotSource(s.source)
                .cacheNodeType(c.cacheNodeType)
                .engine(c.engine)
                .engineVersion(c.engineVersion)
                .numCacheNodes(s.replicationGroupId == null ? 1 : null)
                .preferredAvailabilityZone(s.preferredAvailabilityZone)
                .cacheClusterCreateTime(s.cacheClusterCreateTime)
                .preferredMaintenanceWindow(c.preferredMaintenanceWindow)
                .topicArn(s.topicArn)
                .port(c.port)
                .cacheParameterGroupName(c.cacheParameterGroupName)
                .cacheSubnetGroupName(c.cacheSubnetGroupName)
                .vpcId(c.vpcId)
                .autoMinorVersionUpgrade(c.autoMinorVersionUpgrade)
                .snapshotRetentionLimit(c.snapshotRetentionLimit)
                .snapshotWindow(c.snapshotWindow)
                .numNodeGroups(s.replicationGroupId != null ? s.nodeSnapshots.size() : null)
                .automaticFailover(s.replicationGroupId == null ? null
                        : s.automaticFailover ? AutomaticFailoverStatus.ENABLED : AutomaticFailoverStatus.DISABLED)
                .nodeSnapshots(s.nodeSnapshots.stream().map(n -> {
                    NodeSnapshot.Builder nb = NodeSnapshot.builder()
                            .cacheClusterId(n.cacheClusterId)
                            .nodeGroupId(n.nodeGroupId)
                            .cacheNodeId(n.cacheNodeId)
                            .cacheSize(n.cacheSizeMb + " MB")
                            .cacheNodeCreateTime(n.cacheNodeCreateTime)
                            .snapshotCreateTime(n.snapshotCreateTime);
                    if (showNodeGroupConfig && n.nodeGroupId != null) {
                        nb.nodeGroupConfiguration(NodeGroupConfiguration.builder().nodeGroupId(n.nodeGroupId)
                                .slots(n.slots).replicaCount(n.replicaCount)
                                .primaryAvailabilityZone(n.primaryAvailabilityZone)
                                .replicaAvailabilityZones(n.replicaAvailabilityZones).build());
                    }
                    return nb.build();
                }).toList())
                .kmsKeyId(s.kmsKeyId)
                .arn(model.arn("snapshot", s.name))
                .dataTiering(c.dataTiering ? DataTieringStatus.ENABLED : DataTieringStatus.DISABLED)
                .build();
    }

    ServerlessCache serverless(ServerlessCacheState c) {
        return ServerlessCache.builder()
                .serverlessCacheName(c.name)
                .description(c.description)
                .createTime(c.createTime)
                .status(c.status)
                .engine(c.engine)
                .majorEngineVersion(c.majorEngineVersion)
                .fullEngineVersion(c.fullEngineVersion)
                .kmsKeyId(c.kmsKeyId)
                .securityGroupIds(c.securityGroupIds)
                .subnetIds(c.subnetIds)
                .endpoint(endpoint(c.name + "-serverless", 6379))
                .readerEndpoint(endpoint(c.name + "-serverless", 6380))
                .arn(model.arn("serverlesscache", c.name))
                .snapshotRetentionLimit(c.snapshotRetentionLimit)
                .dailySnapshotTime(c.dailySnapshotTime)
                .build();
    }

    ServerlessCacheSnapshot serverlessSnapshot(ServerlessCacheState.Snapshot s) {
        return ServerlessCacheSnapshot.builder()
                .serverlessCacheSnapshotName(s.name)
                .arn(model.arn("serverlesscachesnapshot", s.name))
                .kmsKeyId(s.kmsKeyId)
                .snapshotType(s.snapshotType)
                .status(s.status)
                .createTime(s.createTime)
                .expiryTime(s.expiryTime)
                .bytesUsedForCache(String.valueOf(s.bytesUsed))
                .serverlessCacheConfiguration(ServerlessCacheConfiguration.builder()
                        .serverlessCacheName(s.serverlessCacheName).engine(s.engine)
                        .majorEngineVersion(s.majorEngineVersion).build())
                .build();
    }

    static Event event(EventLog.Entry e) {
        return Event.builder().sourceIdentifier(e.sourceIdentifier()).sourceType(e.sourceType()).message(e.message())
                .date(e.date()).build();
    }
}
