/**
 * One workload, written twice: a parity environment file and the Terraform configuration that
 * describes the same resources. A size of N is N top-level resources: security groups with two
 * ingress rules each and, when that kind is registered, target groups (about half of each).
 */

export type Workload = { securityGroups: number; targetGroups: number };

export function workload(size: number, withTargetGroups: boolean): Workload {
  const targetGroups = withTargetGroups ? Math.floor(size / 2) : 0;
  return { securityGroups: size - targetGroups, targetGroups };
}

const pad = (i: number) => String(i).padStart(3, "0");
const RULES = [
  { port: 80, cidr: "0.0.0.0/0" },
  { port: 443, cidr: "10.0.0.0/8" },
];
const TAGS = { project: "parity-bench" };

export function parityYaml(w: Workload): string {
  const lines = [
    "environment: bench",
    "region: us-west-1",
    `tags: { project: ${TAGS.project} }`,
    "network: { vpc: default, subnets: default }",
    "securityGroups:",
  ];
  for (let i = 1; i <= w.securityGroups; i++) {
    const ingress = RULES.map((r) => `{ port: ${r.port}, cidr: ${r.cidr} }`).join(", ");
    lines.push(
      `  sg${pad(i)}: { name: bench-sg-${pad(i)}, description: bench security group ${pad(i)}, ingress: [${ingress}] }`,
    );
  }
  if (w.targetGroups > 0) lines.push("targetGroups:");
  for (let i = 1; i <= w.targetGroups; i++) {
    lines.push(`  tg${pad(i)}: { name: bench-tg-${pad(i)}, port: 8080, healthCheck: { path: /health } }`);
  }
  return lines.join("\n") + "\n";
}

/** HCL for the same resources; the provider talks to `endpoint` only, with fake credentials. */
export function terraformHcl(w: Workload, endpoint: string): string {
  const tags = `tags = { project = "${TAGS.project}" }`;
  const blocks = [
    `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0, < 6.0" }
  }
}

provider "aws" {
  region                      = "us-west-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  endpoints {
    ec2   = "${endpoint}"
    elbv2 = "${endpoint}"
    sts   = "${endpoint}"
    iam   = "${endpoint}"
  }
}

data "aws_vpc" "default" {
  default = true
}`,
  ];
  for (let i = 1; i <= w.securityGroups; i++) {
    const ingress = RULES.map(
      (r) =>
        `  ingress {\n    from_port   = ${r.port}\n    to_port     = ${r.port}\n    protocol    = "tcp"\n    cidr_blocks = ["${r.cidr}"]\n  }`,
    ).join("\n");
    // parity leaves AWS's default allow-all egress rule alone; Terraform removes it unless declared.
    blocks.push(`resource "aws_security_group" "sg${pad(i)}" {
  name        = "bench-sg-${pad(i)}"
  description = "bench security group ${pad(i)}"
  vpc_id      = data.aws_vpc.default.id
${ingress}
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ${tags}
}`);
  }
  for (let i = 1; i <= w.targetGroups; i++) {
    blocks.push(`resource "aws_lb_target_group" "tg${pad(i)}" {
  name     = "bench-tg-${pad(i)}"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id
  health_check {
    path = "/health"
  }
  ${tags}
}`);
  }
  return blocks.join("\n\n") + "\n";
}
