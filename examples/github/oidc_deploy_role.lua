-- The role a GitHub Actions workflow assumes (OIDC, no stored keys) to
-- deploy a static site: sync one bucket and invalidate one CloudFront
-- distribution, only from the main branch of one repository.
local lp = require "leastpriv"

local account = lp.var("account_id", { description = "AWS account of the site", default = "123456789012" })
local repo = lp.var("github_repository", { description = "GitHub repository (owner/name) allowed to deploy",
                                           default = "example-org/website" })
local aws = lp.scope { account = account, region = "us-east-1" }

local bucket, distribution = "www.example.com", "E2QWRUHAPOMQZL"

return lp.role {
  name = "github-deploy-website",
  description = "Assumed by GitHub Actions on the main branch to deploy the website",
  max_session_duration = 3600,
  -- audience pinned to sts.amazonaws.com, subject to repo:OWNER/NAME:ref:refs/heads/main
  trust = lp.trust.github { repo = repo, branch = "main", account = account },
  policies = {
    deploy = lp.policy {
      aws.s3.list_bucket(bucket, nil, { sid = "ListSite" }),
      lp.allow { sid = "SyncSite", action = { "s3:DeleteObject", "s3:GetObject", "s3:PutObject" },
                 resource = aws.s3.objects(bucket) },
      lp.allow { sid = "Invalidate", action = "cloudfront:CreateInvalidation",
                 resource = aws.cloudfront.distribution(distribution) },
    },
  },
}
