"""The Python boto3 baseline: the tool our users would write instead. Same work as BareSdkHandler."""
import os

import boto3

# boto3 1.26 (Debian) predates AWS_ENDPOINT_URL support, so the endpoint is passed explicitly.
client = boto3.client("elasticache", region_name=os.environ["AWS_REGION"],
                      endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))


def handle(event, context):
    return {"groups": len(client.describe_replication_groups()["ReplicationGroups"])}
