import { CLOUDFRONT_HOSTED_ZONE_ID } from "../distributions/canonical.js";

/**
 * The Route53 hosted zone an alias record must name for an Application (or Classic) Load
 * Balancer, per region. AWS publishes these fixed ids in "Elastic Load Balancing endpoints and
 * quotas" (AWS General Reference); the load balancer also reports its own as
 * CanonicalHostedZoneId, which a `loadBalancers.x` reference uses instead of this table.
 * Network Load Balancers use different ids and are not listed here.
 */
export const ALB_HOSTED_ZONE_IDS: Readonly<Record<string, string>> = {
  "af-south-1": "Z268VQBMOI5EKX",
  "ap-east-1": "Z3DQVH9N71FHZ0",
  "ap-northeast-1": "Z14GRHDCWA56QT",
  "ap-northeast-2": "ZWKZPGTI48KDX",
  "ap-northeast-3": "Z5LXEXXYW11ES",
  "ap-south-1": "ZP97RAFLXTNZK",
  "ap-south-2": "Z0173938T07WNTVAEPZN",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ap-southeast-3": "Z08888821HLRG5A9ZRTER",
  "ap-southeast-4": "Z09517862IB2WZLPXG76F",
  "ca-central-1": "ZQSVJUPU6J1EY",
  "ca-west-1": "Z06473681N0SF6OS049SD",
  "cn-north-1": "Z1GDH35T77C1KE",
  "cn-northwest-1": "ZM7IZAIOVVDZF",
  "eu-central-1": "Z215JYRZR1TBD5",
  "eu-central-2": "Z06391101F2ZOEP8P5EB3",
  "eu-north-1": "Z23TAZ6LKFMNIO",
  "eu-south-1": "Z3ULH7SSC9OV64",
  "eu-south-2": "Z0956581394HF5D5LXGAP",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "eu-west-3": "Z3Q77PNBQS71R4",
  "il-central-1": "Z09170902867EHPV2DABU",
  "me-central-1": "Z08230872XQRWHG2XF6I",
  "me-south-1": "ZS929ML54UICD",
  "sa-east-1": "Z2P70J7HTTTPLU",
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-gov-east-1": "Z166TLBEWOO7G0",
  "us-gov-west-1": "Z33AYJ8TM3BH4J",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
};

/** `name-123.us-west-1.elb.amazonaws.com`, with optional `internal-` / `dualstack.` forms. */
const ALB_NAME = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com(?:\.cn)?$/;

/** The alias hosted zone for a target given only by DNS name, when AWS's naming tells it. */
export function inferAliasHostedZone(dnsName: string): string | undefined {
  const name = dnsName.trim().toLowerCase().replace(/\.$/, "");
  if (name.endsWith(".cloudfront.net")) return CLOUDFRONT_HOSTED_ZONE_ID;
  const region = ALB_NAME.exec(name)?.[1];
  return region ? ALB_HOSTED_ZONE_IDS[region] : undefined;
}
