"""The Python boto3 baseline: the tool our users would write instead. Same work as BareSdkHandler."""
import os

import boto3

# boto3 1.26 (Debian) predates AWS_ENDPOINT_URL_<SERVICE> support, so the endpoint is passed explicitly. It trusts
# the local endpoint's certificate through AWS_CA_BUNDLE, which boto3 reads itself.
client = boto3.client("elasticache", region_name=os.environ["AWS_REGION"],
                      endpoint_url=os.environ.get("AWS_ENDPOINT_URL_ELASTICACHE"))


def handle(event, context):
    return {"groups": len(client.describe_replication_groups()["ReplicationGroups"])}
