/** The as-of date each example profile (examples/*.json) is meant for (inside the validity of the measures it shows off). */
export const EXAMPLE_AS_OF: Record<string, string> = {
  "banan-manufacturer.json": "2022-11-01",
  "banan-food-service.json": "2022-11-01",
  "banan-green-upgrade.json": "2022-11-01",
  "yubei-software.json": "2023-03-01",
  "yubei-smart-factory.json": "2023-03-01",
  "kaizhou-manufacturer.json": "2023-11-15",
  "wulong-srdi.json": "2023-03-01",
};
