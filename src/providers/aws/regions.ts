import { distance } from "fastest-levenshtein";

/**
 * Regions AWS had when this was written (from the SDK's partition data). Validation refuses any
 * other name, since a call to a region that does not exist fails with an unreadable DNS or parse
 * error: a region AWS opens later needs one line here.
 */
const KNOWN_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "me-west-1",
  "mx-central-1",
  "sa-east-1",
  "sa-west-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

export function isKnownRegion(region: string): boolean {
  return KNOWN_REGIONS.includes(region);
}

/** The known region closest to a mistyped one, if any is close. */
export function closestRegion(region: string): string | undefined {
  const wanted = region.toLowerCase().replace(/_/g, "-");
  if (isKnownRegion(wanted)) return wanted;
  let best: { region: string; distance: number } | undefined;
  for (const known of KNOWN_REGIONS) {
    const d = distance(wanted, known);
    if (!best || d < best.distance) best = { region: known, distance: d };
  }
  return best && best.distance <= 3 ? best.region : undefined;
}

/** `"us-west-9" is not an AWS region (did you mean us-west-1?)` */
export function unknownRegion(region: string): string {
  const near = closestRegion(region);
  return `"${region}" is not an AWS region${near ? ` (did you mean ${near}?)` : ""}`;
}

/** Validation's verdict on a region name: `us-west-9` → "not an AWS region (did you mean us-west-1?)". */
export function regionProblem(region: string): { message: string; hint?: string } | undefined {
  if (isKnownRegion(region)) return undefined;
  const near = closestRegion(region);
  return {
    message: `"${region}" is not an AWS region`,
    hint: near ? `did you mean ${near}?` : `one of ${KNOWN_REGIONS.join(", ")}`,
  };
}
