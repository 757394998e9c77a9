-- luacheck: no max line length
-- IAM Access Analyzer's policy validation checks (the "IAM Access Analyzer
-- policy check reference": issue code and finding type), and how leastpriv
-- stands to each: tools/gen-checks-doc.lua writes the table into
-- docs/checks.md, spec/checks_doc_spec.lua holds it to the table of checks.
--
-- An entry: { code, type [, differs = why leastpriv's severity or rule is
-- not AA's] [, via = { our codes }, note = how they cover it]
-- [, offline = why it cannot be computed offline] [, missing = why not yet] }.
-- A code that is one of ours with AA's severity needs nothing more.
local M = {}

-- Finding types and the severities that carry them here.
M.severity_of = { ERROR = "error", SECURITY_WARNING = "security", WARNING = "warning", SUGGESTION = "suggestion" }

local SCP_GRAMMAR = "warning here: AWS Organizations has since widened the SCP language "
  .. "(Allow with conditions, NotResource, ...), so these matter only where the original "
  .. "grammar still applies"
local SIZE = "error here: IAM refuses a policy over its quota, so leastpriv blocks it"

M.list = {
  -- ERROR
  { "JSON_SYNTAX_ERROR", "ERROR" }, { "DATA_TYPE_MISMATCH", "ERROR" }, { "INVALID_POLICY_ELEMENT", "ERROR" },
  { "MISSING_STATEMENT", "ERROR" }, { "MISSING_EFFECT", "ERROR" }, { "MISSING_ACTION", "ERROR" },
  { "MISSING_RESOURCE", "ERROR" }, { "MISSING_PRINCIPAL", "ERROR" }, { "INVALID_EFFECT", "ERROR" },
  { "INVALID_VERSION", "ERROR" }, { "UNIQUE_SIDS_REQUIRED", "ERROR" }, { "UNSUPPORTED_SID", "ERROR" },
  { "UNSUPPORTED_ELEMENT_COMBINATION", "ERROR" }, { "UNSUPPORTED_PRINCIPAL", "ERROR" },
  { "INVALID_SERVICE", "ERROR" }, { "INVALID_SERVICE_IN_ACTION", "ERROR" }, { "INVALID_ACTION", "ERROR" },
  { "UNSUPPORTED_ACTION_IN_POLICY", "ERROR" }, { "INVALID_ARN_PREFIX", "ERROR" }, { "MISSING_ARN_FIELD", "ERROR" },
  { "INVALID_ARN_SERVICE_CASE", "ERROR" }, { "INVALID_PARTITION", "ERROR" }, { "INVALID_ARN_REGION", "ERROR" },
  { "MISSING_ARN_REGION", "ERROR" }, { "ARN_REGION_NOT_ALLOWED", "ERROR" }, { "INVALID_ARN_ACCOUNT", "ERROR" },
  { "MISSING_ARN_ACCOUNT", "ERROR", differs = "AWS-owned resource types (SSM documents, public "
      .. "parameters, ...) accept an empty account: the list is data, csrc/catalog_owned.c" },
  { "ARN_ACCOUNT_NOT_ALLOWED", "ERROR" },
  { "INVALID_ARN_RESOURCE", "ERROR", differs = "stricter: also an ARN whose resource part starts "
      .. "with no resource type of its service; an ARN that fits a type but none of the "
      .. "statement's actions is RESOURCE_MISMATCH (warning)" },
  { "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", "ERROR" }, { "INVALID_CONDITION_OPERATOR", "ERROR" },
  { "INVALID_CONDITION_KEY_FORMAT", "ERROR" }, { "INVALID_GLOBAL_CONDITION_KEY", "ERROR" },
  { "UNSUPPORTED_GLOBAL_CONDITION_KEY", "ERROR" }, { "INVALID_SERVICE_CONDITION_KEY", "ERROR" },
  { "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", "ERROR", differs = "the keys of an action are its own "
      .. "and its resource types' (the Service Authorization Reference's tables); Access "
      .. "Analyzer's own data may differ where the reference lags" },
  { "MISSING_ACTION_FOR_CONDITION_KEY", "ERROR" }, { "MISSING_TAG_KEY_IN_CONDITION", "ERROR" },
  { "INVALID_CONDITION_DATA_TYPE", "ERROR" }, { "INVALID_CONDITION_MULTIPLE_BOOLEAN", "ERROR" },
  { "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", "ERROR" }, { "MISSING_QUALIFIER", "ERROR" },
  { "NULL_WITH_IF_EXISTS", "ERROR" }, { "INVALID_VARIABLE_FOR_OPERATOR", "ERROR" }, { "INVALID_REGION", "ERROR" },
  { "INVALID_VPC_FORMAT", "ERROR" }, { "INVALID_VPCE_FORMAT", "ERROR" }, { "PRIVATE_IP_ADDRESS", "ERROR" },
  { "PRIVATE_NOTIPADDRESS", "ERROR" }, { "MISSING_BRACE_IN_VARIABLE", "ERROR" },
  { "MISSING_QUOTE_IN_VARIABLE", "ERROR" }, { "UNSUPPORTED_SPACE_IN_VARIABLE", "ERROR" },
  { "UNSUPPORTED_SYMBOL_IN_VARIABLE", "ERROR", missing = "listed in the reference's contents; "
      .. "which symbols it refuses is not spelt out there, and MISSING_BRACE_IN_VARIABLE, "
      .. "UNSUPPORTED_SPACE_IN_VARIABLE and EMPTY_VARIABLE cover the malformed variables we know" },
  { "EMPTY_VARIABLE", "ERROR" }, { "VARIABLE_UNSUPPORTED_IN_ELEMENT", "ERROR" },
  { "VARIABLE_UNSUPPORTED_IN_VERSION", "ERROR" }, { "INVALID_PRINCIPAL_FORMAT", "ERROR" },
  { "INVALID_PRINCIPAL_KEY", "ERROR" }, { "INVALID_SERVICE_PRINCIPAL_FORMAT", "ERROR" },
  { "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "ERROR" }, { "FEDERATED_PRINCIPAL_NOT_SUPPORTED", "ERROR" },
  { "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", "ERROR" }, { "MISMATCHED_ACTION_FOR_PRINCIPAL", "ERROR" },
  { "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", "ERROR" },
  { "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "ERROR" },
  { "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", "ERROR" },
  { "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", "ERROR" },
  { "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", "ERROR" },
  { "SCP_SYNTAX_ERROR_ACTION_WILDCARD", "ERROR", differs = SCP_GRAMMAR },
  { "SCP_SYNTAX_ERROR_ALLOW_CONDITION", "ERROR", differs = SCP_GRAMMAR },
  { "SCP_SYNTAX_ERROR_ALLOW_NOTACTION", "ERROR", differs = SCP_GRAMMAR },
  { "SCP_SYNTAX_ERROR_ALLOW_RESOURCE", "ERROR", differs = SCP_GRAMMAR },
  { "SCP_SYNTAX_ERROR_NOTRESOURCE", "ERROR", differs = SCP_GRAMMAR },
  { "SCP_SYNTAX_ERROR_PRINCIPAL", "ERROR" }, { "POLICY_SIZE_EXCEEDS_SCP_QUOTA", "ERROR" },
  -- WARNING
  { "MISSING_VERSION", "WARNING" }, { "UNIQUE_SIDS_RECOMMENDED", "WARNING" },
  { "WILDCARD_WITHOUT_LIKE_OPERATOR", "WARNING" },
  { "TYPE_MISMATCH", "WARNING", differs = "like IAM, an Arn operator on a String key is accepted" },
  { "TYPE_MISMATCH_BOOLEAN", "WARNING" },
  { "TYPE_MISMATCH_DATE", "WARNING", via = { "INVALID_DATE_VALUE" } },
  { "TYPE_MISMATCH_IP_RANGE", "WARNING" }, { "TYPE_MISMATCH_NUMBER", "WARNING" },
  { "TYPE_MISMATCH_STRING", "WARNING", via = { "TYPE_MISMATCH" } },
  { "INVALID_DATE_VALUE", "WARNING" },
  { "DEPRECATED_GLOBAL_CONDITION_KEY", "WARNING", via = { "UNSUPPORTED_GLOBAL_CONDITION_KEY" },
    note = "aws:ARN, the one deprecated key leastpriv knows; the catalog's source marks no "
      .. "key deprecated, so no other is reported" },
  { "INVALID_ROLE_REFERENCE", "WARNING" }, { "INVALID_USER_REFERENCE", "WARNING" },
  { "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", "WARNING" },
  { "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "WARNING", differs = SIZE },
  { "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", "WARNING", differs = SIZE },
  { "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", "WARNING", differs = SIZE },
  { "CREATE_SLR_WITH_STAR_IN_RESOURCE", "WARNING", differs = "an iam:AWSServiceName value with a "
      .. "live wildcard (StringLike \"*a4b.amazonaws.com\") pins no service" },
  { "CREATE_SLR_WITH_NOTRESOURCE", "WARNING" }, { "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", "WARNING" },
  { "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE", "WARNING" },
  { "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE", "WARNING" },
  { "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION", "WARNING" },
  -- SECURITY_WARNING
  { "PASS_ROLE_WITH_STAR_IN_RESOURCE", "SECURITY_WARNING", differs = "as in Access Analyzer, not "
      .. "reported when the statement tests iam:PassedToService (not IfExists); leastpriv "
      .. "reports that case as PASS_ROLE_TO_ANY_ROLE" },
  { "PASS_ROLE_WITH_NOTRESOURCE", "SECURITY_WARNING" },
  { "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", "SECURITY_WARNING" },
  { "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE", "SECURITY_WARNING" },
  { "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE", "SECURITY_WARNING" },
  { "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION", "SECURITY_WARNING" },
  { "ALLOW_WITH_NOTPRINCIPAL", "SECURITY_WARNING" }, { "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "SECURITY_WARNING" },
  { "MISSING_PAIRED_CONDITION_KEYS", "SECURITY_WARNING" },
  { "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", "SECURITY_WARNING" },
  { "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", "SECURITY_WARNING" },
  { "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "SECURITY_WARNING" },
  { "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", "SECURITY_WARNING" },
  { "MISSING_GITHUB_REPO_CONDITION_KEY", "SECURITY_WARNING" },
  { "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", "SECURITY_WARNING" },
  -- SUGGESTION
  { "EMPTY_ARRAY_ACTION", "SUGGESTION" }, { "EMPTY_ARRAY_RESOURCE", "SUGGESTION" },
  { "EMPTY_ARRAY_PRINCIPAL", "SUGGESTION" }, { "EMPTY_ARRAY_CONDITION", "SUGGESTION" },
  { "EMPTY_ARRAY_CONDITION_FORALLVALUES", "SUGGESTION" }, { "EMPTY_ARRAY_CONDITION_FORANYVALUE", "SUGGESTION" },
  { "EMPTY_ARRAY_CONDITION_IFEXISTS", "SUGGESTION" }, { "EMPTY_OBJECT_CONDITION", "SUGGESTION" },
  { "EMPTY_OBJECT_PRINCIPAL", "SUGGESTION" }, { "EMPTY_SID_VALUE", "SUGGESTION" },
  { "EQUIVALENT_TO_NULL_FALSE", "SUGGESTION" },
  { "REDUNDANT_ACTION", "SUGGESTION" }, { "REDUNDANT_RESOURCE", "SUGGESTION" }, { "REDUNDANT_STATEMENT", "SUGGESTION" },
  { "REDUNDANT_CONDITION_VALUE_NUM", "SUGGESTION" }, { "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", "SUGGESTION" },
  { "IMPROVE_IP_RANGE", "SUGGESTION" }, { "NULL_WITH_QUALIFIER", "SUGGESTION" },
  { "PRIVATE_IP_ADDRESS_SUBSET", "SUGGESTION" }, { "PRIVATE_NOTIPADDRESS_SUBSET", "SUGGESTION" },
  { "WILDCARD_IN_SERVICE_NAME", "SUGGESTION" },
  { "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", "SUGGESTION" },
  { "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", "SUGGESTION" },
  { "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", "SUGGESTION" },
  { "IRRELEVANT_CONDITION_KEY_IN_POLICY", "SUGGESTION", differs = "a value holding a policy variable "
      .. "(\"${aws:ResourceAccount}\") compares two request values: not reported" },
  { "CONFIRM_AUDIENCE_CLAIM_TYPE", "SUGGESTION" },
}

-- Access Analyzer's checks beyond ValidatePolicy, which no offline tool can run.
M.not_offline = {
  { "CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess",
    "custom policy checks: a paid API that reasons (Zelkova) over the policy against a "
      .. "reference policy or AWS's view of public access; they need AWS credentials and the "
      .. "service itself" },
  { "external, internal and unused access findings",
    "analyzers over a live account or organization (who can reach a resource today, which "
      .. "permissions went unused): they need the account's state and its access logs" },
}

return M
