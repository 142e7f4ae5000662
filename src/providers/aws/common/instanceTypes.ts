import { closest, distance } from "fastest-levenshtein";

/**
 * EC2 instance families (current and previous generation) when this was written, from the EC2
 * instance types guide. An unknown family would fail RunInstances half-way through an apply; a
 * family AWS adds later needs one line here.
 */
const FAMILIES =
  `a1 c1 c3 c4 c5 c5a c5ad c5d c5n c6a c6g c6gd c6gn c6i c6id c6in c7a c7g c7gd c7gn c7i c7i-flex
c8a c8g c8gd c8gn c8i c8i-flex d2 d3 d3en dl1 dl2q f1 f2 g3 g3s g4ad g4dn g5 g5g g6 g6e g6f gr6 gr6f
h1 hpc6a hpc6id hpc7a hpc7g i2 i3 i3en i4g i4i i7i i7ie i8g i8ge im4gn inf1 inf2 is4gen m1 m2 m3 m4
m5 m5a m5ad m5d m5dn m5n m5zn m6a m6g m6gd m6i m6id m6idn m6in m7a m7g m7gd m7i m7i-flex m8a m8g m8gd
m8i m8i-flex mac1 mac2 mac2-m1ultra mac2-m2 mac2-m2pro mac-m4 mac-m4pro p2 p3 p3dn p4d p4de p5 p5e
p5en p6-b200 r3 r4 r5 r5a r5ad r5b r5d r5dn r5n r6a r6g r6gd r6i r6id r6idn r6in r7a r7g r7gd r7i
r7iz r8a r8g r8gd r8i r8i-flex t1 t2 t3 t3a t4g trn1 trn1n trn2 u-3tb1 u-6tb1 u-9tb1 u-12tb1 u-18tb1
u-24tb1 u7i-6tb u7i-8tb u7i-12tb u7in-16tb u7in-24tb u7in-32tb vt1 x1 x1e x2gd x2idn x2iedn x2iezn
x8g z1d`.split(/\s+/);

const SIZE = /^(nano|micro|small|medium|large|xlarge|[0-9]+xlarge|metal(-[0-9]+xl)?)$/;

/** `t3.micro` → undefined; `t9.micro` → what is wrong with it, and the likely family. */
export function instanceTypeProblem(
  type: string,
  extraFamilies: string[] = [],
): { message: string; hint?: string } | undefined {
  const dot = type.indexOf(".");
  const family = type.slice(0, dot);
  const size = type.slice(dot + 1);
  const families = [...FAMILIES, ...extraFamilies];
  if (!families.includes(family)) {
    const near = closest(family, families);
    return {
      message: `unknown instance family "${family}"`,
      ...(distance(family, near) <= 2 ? { hint: `did you mean ${near}.${size}?` } : {}),
    };
  }
  if (!SIZE.test(size)) {
    return {
      message: `unknown instance size "${size}"`,
      hint: "sizes are nano, micro, small, medium, large, xlarge, 2xlarge… or metal",
    };
  }
  return undefined;
}
