-- Resource policies and the service that owns them.  A resource policy
-- governs one resource of one service, so its actions and ARNs must be
-- that service's (UNSUPPORTED_ACTION_IN_POLICY,
-- UNSUPPORTED_RESOURCE_ARN_IN_POLICY).  The service comes from
-- `--service` / opts.service (a service prefix such as "s3", or an Access
-- Analyzer resource type such as "AWS::S3::Bucket") or, in Terraform
-- plans, from the resource that holds the policy.
local core = require "leastpriv.core"

local M = {}

-- Access Analyzer's policy resource types (ValidatePolicy's
-- validatePolicyResourceType, CheckNoPublicAccess's resourceType).
M.RESOURCE_TYPES = {
  ["AWS::S3::Bucket"] = "s3",
  ["AWS::S3::AccessPoint"] = "s3",
  ["AWS::S3::MultiRegionAccessPoint"] = "s3",
  ["AWS::S3ObjectLambda::AccessPoint"] = "s3-object-lambda",
  ["AWS::S3Express::DirectoryBucket"] = "s3express",
  ["AWS::S3Tables::TableBucket"] = "s3tables",
  ["AWS::DynamoDB::Table"] = "dynamodb",
  ["AWS::DynamoDB::Stream"] = "dynamodb",
  ["AWS::ApiGateway::RestApi"] = "execute-api",
  ["AWS::CodeArtifact::Domain"] = "codeartifact",
  ["AWS::Backup::BackupVault"] = "backup",
  ["AWS::KMS::Key"] = "kms",
  ["AWS::Lambda::Function"] = "lambda",
  ["AWS::SecretsManager::Secret"] = "secretsmanager",
  ["AWS::SNS::Topic"] = "sns",
  ["AWS::SQS::Queue"] = "sqs",
  ["AWS::ECR::Repository"] = "ecr",
  ["AWS::EFS::FileSystem"] = "elasticfilesystem",
  ["AWS::Kinesis::Stream"] = "kinesis",
  ["AWS::Events::EventBus"] = "events",
  ["AWS::OpenSearchService::Domain"] = "es",
  ["AWS::Glacier::Vault"] = "glacier",
}

-- Terraform resources that hold a policy document: type -> { attribute,
-- policy type, service (resource policies) }.  aws_organizations_policy is
-- an SCP or an RCP by its `type`.
M.TERRAFORM = {
  aws_s3_bucket_policy = { "policy", "resource", "s3" },
  aws_s3_access_point = { "policy", "resource", "s3" },
  aws_s3control_access_point_policy = { "policy", "resource", "s3" },
  aws_s3control_bucket_policy = { "policy", "resource", "s3-outposts" },
  aws_sqs_queue_policy = { "policy", "resource", "sqs" },
  aws_sqs_queue = { "policy", "resource", "sqs" },
  aws_sns_topic_policy = { "policy", "resource", "sns" },
  aws_sns_topic = { "policy", "resource", "sns" },
  aws_kms_key = { "policy", "resource", "kms" },
  aws_kms_replica_key = { "policy", "resource", "kms" },
  aws_ecr_repository_policy = { "policy", "resource", "ecr" },
  aws_ecrpublic_repository_policy = { "policy", "resource", "ecr-public" },
  aws_secretsmanager_secret_policy = { "policy", "resource", "secretsmanager" },
  aws_secretsmanager_secret = { "policy", "resource", "secretsmanager" },
  aws_glacier_vault = { "access_policy", "resource", "glacier" },
  aws_cloudwatch_log_resource_policy = { "policy_document", "resource", "logs" },
  aws_cloudwatch_event_bus_policy = { "policy", "resource", "events" },
  aws_api_gateway_rest_api_policy = { "policy", "resource", "execute-api" },
  aws_opensearch_domain_policy = { "access_policies", "resource", "es" },
  aws_elasticsearch_domain_policy = { "access_policies", "resource", "es" },
  aws_efs_file_system_policy = { "policy", "resource", "elasticfilesystem" },
  aws_backup_vault_policy = { "policy", "resource", "backup" },
  aws_dynamodb_resource_policy = { "policy", "resource", "dynamodb" },
  aws_kinesis_resource_policy = { "policy", "resource", "kinesis" },
  aws_codeartifact_domain_permissions_policy = { "policy_document", "resource", "codeartifact" },
  aws_codeartifact_repository_permissions_policy = { "policy_document", "resource", "codeartifact" },
  aws_organizations_policy = { "content", "org", nil },
}

-- aws_organizations_policy's type -> policy type (others hold no IAM policy).
M.ORGANIZATIONS = { SERVICE_CONTROL_POLICY = "scp", RESOURCE_CONTROL_POLICY = "rcp" }

-- resolve(name) -> service prefix, or nil and a message.  name: a service
-- prefix ("s3") or an Access Analyzer resource type ("AWS::S3::Bucket").
function M.resolve(name)
  if type(name) ~= "string" then
    return nil, ("service must be a string (a service prefix such as s3), not %s"):format(type(name))
  end
  if name:find("^AWS::") then
    local svc = M.RESOURCE_TYPES[name]
    if svc then return svc end
    local names = {}
    for k in pairs(M.RESOURCE_TYPES) do names[#names + 1] = k end
    table.sort(names)
    return nil, ("unknown resource type %s (known: %s)"):format(name, table.concat(names, ", "))
  end
  local info, err = core.catalog_service(name)
  if not info then return nil, err end
  return info.prefix
end

return M
