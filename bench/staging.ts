/**
 * The full staging workload of the benchmark, at N instances: N instances behind an ALB with
 * stickiness, two security groups, a website bucket, a distribution with two origins, a
 * database, an alias in a DNS zone made beforehand, and N/10 parameters. Written once for parity
 * and once for Terraform, resource for resource.
 */

/** Instances per parity entry: an entry's `count` goes up to 100. */
const PER_ENTRY = 100;

export type Staging = { instances: number; parameters: number; image: string; zone: string };

export function staging(instances: number, image: string): Staging {
  return { instances, parameters: Math.max(1, Math.floor(instances / 10)), image, zone: "bench.example" };
}

/** Where parity reads the database's password from; the bench sets it. */
export const PASSWORD_VARIABLE = "BENCH_DB_PASSWORD";

const pad = (n: number) => String(n).padStart(3, "0");

function entries(total: number): number[] {
  const counts: number[] = [];
  for (let left = total; left > 0; left -= PER_ENTRY) counts.push(Math.min(PER_ENTRY, left));
  return counts;
}

export function stagingYaml(w: Staging): string {
  const groups = entries(w.instances);
  const lines = [
    "environment: bench",
    // A project lets discovery prove ownership of parameters from one filtered listing: without one,
    // "no project" cannot be filtered on, and the keys' tags are read one by one.
    "project: bench",
    "region: us-west-1",
    "tags: { project: bench }",
    "network: { vpc: default, subnets: default }",
    "securityGroups:",
    "  alb: { name: bench-alb-sg, description: bench load balancer, ingress: [{ port: 80, cidr: 0.0.0.0/0 }] }",
    "  db: { name: bench-db-sg, description: bench database, ingress: [{ port: 5432, source: securityGroups.alb }] }",
    "instances:",
    ...groups.map((count, i) => `  web${i + 1}: { count: ${count}, type: t3.micro, image: ${w.image} }`),
    "targetGroups:",
    "  web:",
    "    name: bench-web-tg",
    "    port: 8080",
    "    healthCheck: { path: /health }",
    "    stickiness: { type: lb_cookie, durationSeconds: 3600 }",
    `    targets: [${groups.map((_, i) => `instances.web${i + 1}`).join(", ")}]`,
    "loadBalancers:",
    "  web:",
    "    name: bench-web-alb",
    "    securityGroups: [securityGroups.alb]",
    "    listeners: [{ port: 80, protocol: HTTP, forward: targetGroups.web }]",
    "buckets:",
    "  frontend: { name: bench-frontend-site, website: { indexDocument: index.html, errorDocument: index.html } }",
    "distributions:",
    "  site:",
    "    comment: bench site",
    "    origins:",
    '      frontend: { domain: "${buckets.frontend.websiteDomain}", protocol: http-only }',
    '      api: { domain: "${loadBalancers.web.dnsName}", protocol: http-only }',
    "    defaultBehavior: { origin: frontend, viewerProtocol: redirect-to-https }",
    "    behaviors: [{ path: /api/*, origin: api, viewerProtocol: redirect-to-https, allowedMethods: all }]",
    "databases:",
    "  main:",
    "    identifier: bench-db",
    "    engine: postgres",
    "    class: db.t3.micro",
    "    allocatedStorageGb: 20",
    "    securityGroups: [securityGroups.db]",
    "    masterUsername: bench",
    `    masterPassword: { fromEnv: ${PASSWORD_VARIABLE} }`,
    "appEnv:",
    "  path: /bench/staging/",
    "  values:",
    ...Array.from({ length: w.parameters }, (_, i) => `    KEY_${pad(i + 1)}: value-${pad(i + 1)}`),
    "dns:",
    `  zone: ${w.zone}`,
    `  records: [{ name: app.${w.zone}, type: A, alias: distributions.site }]`,
  ];
  return lines.join("\n") + "\n";
}

export function stagingHcl(w: Staging, endpoint: string): string {
  const services = ["ec2", "elbv2", "s3", "cloudfront", "rds", "route53", "ssm", "sts", "iam"];
  return `terraform {
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
${services.map((s) => `    ${s.padEnd(10)} = "${endpoint}"`).join("\n")}
  }
  default_tags { tags = { project = "bench" } }
}

data "aws_vpc" "default" { default = true }

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_security_group" "alb" {
  name        = "bench-alb-sg"
  description = "bench load balancer"
  vpc_id      = data.aws_vpc.default.id
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name        = "bench-db-sg"
  description = "bench database"
  vpc_id      = data.aws_vpc.default.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  count         = ${w.instances}
  ami           = "${w.image}"
  instance_type = "t3.micro"
}

resource "aws_lb_target_group" "web" {
  name     = "bench-web-tg"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id
  health_check { path = "/health" }
  stickiness {
    type            = "lb_cookie"
    cookie_duration = 3600
  }
}

resource "aws_lb_target_group_attachment" "web" {
  count            = ${w.instances}
  target_group_arn = aws_lb_target_group.web.arn
  target_id        = aws_instance.web[count.index].id
}

resource "aws_lb" "web" {
  name               = "bench-web-alb"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = data.aws_subnets.default.ids
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_s3_bucket" "frontend" { bucket = "bench-frontend-site" }

resource "aws_s3_bucket_website_configuration" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  index_document { suffix = "index.html" }
  error_document { key = "index.html" }
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  comment = "bench site"
  origin {
    origin_id   = "frontend"
    domain_name = aws_s3_bucket_website_configuration.frontend.website_endpoint
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "api"
    domain_name = aws_lb.web.dns_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "frontend"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    forwarded_values {
      query_string = false
      cookies { forward = "none" }
    }
  }
  ordered_cache_behavior {
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods         = ["GET", "HEAD"]
    forwarded_values {
      query_string = true
      cookies { forward = "all" }
    }
  }
  restrictions {
    geo_restriction { restriction_type = "none" }
  }
  viewer_certificate { cloudfront_default_certificate = true }
}

resource "aws_db_instance" "main" {
  identifier             = "bench-db"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "bench"
  password               = "bench-password"
  skip_final_snapshot    = true
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_ssm_parameter" "key" {
  count = ${w.parameters}
  name  = format("/bench/staging/KEY_%03d", count.index + 1)
  type  = "String"
  value = format("value-%03d", count.index + 1)
}

data "aws_route53_zone" "bench" { name = "${w.zone}" }

resource "aws_route53_record" "app" {
  zone_id = data.aws_route53_zone.bench.zone_id
  name    = "app.${w.zone}"
  type    = "A"
  alias {
    name                   = aws_cloudfront_distribution.site.domain_name
    zone_id                = aws_cloudfront_distribution.site.hosted_zone_id
    evaluate_target_health = false
  }
}
`;
}
