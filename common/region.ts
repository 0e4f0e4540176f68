/**
 * The shape of an AWS Region code (`us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`).
 * New Regions keep appearing, so the shape is checked rather than a list.
 */
export const isRegionCode = (value: string): boolean => /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(value);
