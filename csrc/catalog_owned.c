/*
** catalog_owned.c: resource types with AWS-owned instances, whose ARNs have
** an empty account field although the Service Authorization Reference's
** template names ${Account} (it documents the customer's own resources).
** Data, not code: one row per type, with the reason.  `check` accepts an
** ARN without an account for these types (MISSING_ARN_ACCOUNT stays for
** every other type: a KMS key, say, always lives in an account, and
** arn:aws:kms:*::* can never match one).
*/
#include <string.h>

#include "leastpriv.h"

typedef struct owned_rtype {
  const char *service, *rtype, *reason;
} owned_rtype;

static const owned_rtype owned[] = {
  { "cloudformation", "type",
    "public extensions published by AWS (arn:aws:cloudformation:REGION::type/resource/AWS-S3-Bucket)" },
  { "resource-explorer-2", "managed-view",
    "views that AWS services manage (arn:aws:resource-explorer-2:REGION::managed-view/...)" },
  { "resource-explorer-2", "view",
    "service views that AWS manages (arn:aws:resource-explorer-2:REGION::view/AWSServiceViewFor.../...)" },
  { "ssm", "automation-definition",
    "Automation runbooks owned by Amazon (arn:aws:ssm:REGION::automation-definition/AWS-...)" },
  { "ssm", "document",
    "Systems Manager documents owned by Amazon (arn:aws:ssm:REGION::document/AWS-RunShellScript)" },
  { "ssm", "parameter",
    "public parameters (arn:aws:ssm:REGION::parameter/aws/service/...)" },
};

const char *lpv_catalog_aws_owned(const char *service, size_t slen, const char *rtype,
                                  size_t rlen) {
  size_t i;
  for (i = 0; i < sizeof owned / sizeof owned[0]; i++) {
    if (strlen(owned[i].service) == slen && memcmp(owned[i].service, service, slen) == 0 &&
        strlen(owned[i].rtype) == rlen && memcmp(owned[i].rtype, rtype, rlen) == 0)
      return owned[i].reason;
  }
  return NULL;
}
