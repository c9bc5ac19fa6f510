package dev.cachekeeper.simulation;

import java.util.ArrayList;
import java.util.List;

/** The settings a replication group or a standalone cache cluster is built with; snapshots carry a copy. */
final class CacheSettings {
    String engine = "redis";
    String engineVersion = "7.1";
    String cacheNodeType = "cache.t4g.small";
    String cacheParameterGroupName;
    String cacheSubnetGroupName = "default";
    String vpcId = "vpc-0a1b2c3d4e5f60718";
    List<String> securityGroupIds = new ArrayList<>();
    String kmsKeyId;
    boolean transitEncryptionEnabled;
    boolean atRestEncryptionEnabled;
    boolean authTokenEnabled;
    boolean dataTiering;
    int snapshotRetentionLimit;
    String snapshotWindow = "03:00-04:00";
    String preferredMaintenanceWindow = "sun:05:00-sun:06:00";
    int port = 6379;
    boolean autoMinorVersionUpgrade = true;
    /** How much data the cache holds; only used for snapshot sizes. */
    long dataSizeMb = 5;

    CacheSettings copy() {
        CacheSettings c = new CacheSettings();
        c.engine = engine;
        c.engineVersion = engineVersion;
        c.cacheNodeType = cacheNodeType;
        c.cacheParameterGroupName = cacheParameterGroupName;
        c.cacheSubnetGroupName = cacheSubnetGroupName;
        c.vpcId = vpcId;
        c.securityGroupIds = new ArrayList<>(securityGroupIds);
        c.kmsKeyId = kmsKeyId;
        c.transitEncryptionEnabled = transitEncryptionEnabled;
        c.atRestEncryptionEnabled = atRestEncryptionEnabled;
        c.authTokenEnabled = authTokenEnabled;
        c.dataTiering = dataTiering;
        c.snapshotRetentionLimit = snapshotRetentionLimit;
        c.snapshotWindow = snapshotWindow;
        c.preferredMaintenanceWindow = preferredMaintenanceWindow;
        c.port = port;
        c.autoMinorVersionUpgrade = autoMinorVersionUpgrade;
        c.dataSizeMb = dataSizeMb;
        return c;
    }

    /** The default parameter group of an engine family, e.g. {@code default.valkey8} or {@code default.redis7.cluster.on}. */
    String defaultParameterGroup(boolean clusterEnabled) {
        String major = engineVersion.split("\\.")[0];
        return "default." + engine + major + (clusterEnabled ? ".cluster.on" : "");
    }
}
