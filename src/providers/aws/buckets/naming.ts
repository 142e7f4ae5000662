/**
 * Names AWS derives from a bucket name and region. Pure, so plannedOutputs can give them before
 * the bucket exists (a distribution's origin can then be planned in the same run).
 */

/**
 * Regions whose website endpoint is `s3-website-<region>` (a dash). S3 launched website hosting
 * with that form; every region opened since (us-east-2, eu-central-1, ap-south-1, …) uses
 * `s3-website.<region>` (a dot). The list is closed: new regions always get the dot form.
 * Source: the "Website endpoints" table of the S3 user guide.
 */
const DASH_WEBSITE_REGIONS = new Set([
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
  "us-gov-west-1",
]);

/** The DNS suffix of the partition a region is in. */
export function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

export function partition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `<name>.s3-website-us-west-1.amazonaws.com` or `<name>.s3-website.eu-central-1.amazonaws.com`. */
export function websiteDomain(name: string, region: string): string {
  const separator = DASH_WEBSITE_REGIONS.has(region) ? "-" : ".";
  return `${name}.s3-website${separator}${region}.${dnsSuffix(region)}`;
}

/** The regional REST endpoint of the bucket (what CloudFront's S3 origins use). */
export function domainName(name: string, region: string): string {
  return `${name}.s3.${region}.${dnsSuffix(region)}`;
}

export function bucketArn(name: string, region: string): string {
  return `arn:${partition(region)}:s3:::${name}`;
}

export function bucketOutputs(name: string, region: string): { [key: string]: string } {
  return {
    name,
    arn: bucketArn(name, region),
    websiteDomain: websiteDomain(name, region),
    domainName: domainName(name, region),
  };
}

/**
 * GetBucketLocation answers with a legacy constraint: nothing for us-east-1, `EU` for eu-west-1.
 */
export function regionFromLocation(constraint: string | undefined | null): string {
  if (!constraint) return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}

/** CreateBucket wants a LocationConstraint everywhere except us-east-1, where one is rejected. */
export function locationConstraint(region: string): string | undefined {
  return region === "us-east-1" ? undefined : region;
}
