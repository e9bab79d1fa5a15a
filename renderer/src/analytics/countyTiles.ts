// Kenya's 47 counties as a schematic tile grid (row, column ≈ north→south, west→east). No openly
// licensed county boundary file could be brought into the project when this was built (the
// common one, @highcharts/map-collection, is not free), so the map is a tile map and says so on
// screen; a licensed GeoJSON could later replace it with an ECharts map series.
// Names as core banking and the demo spell them (First Schedule of the Constitution).
export interface CountyTile {
  name: string;
  row: number;
  col: number;
}

export const COUNTY_TILES: readonly CountyTile[] = [
  { name: 'Turkana', row: 0, col: 3 },
  { name: 'Marsabit', row: 0, col: 5 },
  { name: 'Mandera', row: 0, col: 9 },
  { name: 'West Pokot', row: 1, col: 3 },
  { name: 'Samburu', row: 1, col: 4 },
  { name: 'Isiolo', row: 1, col: 6 },
  { name: 'Wajir', row: 1, col: 8 },
  { name: 'Bungoma', row: 2, col: 1 },
  { name: 'Trans Nzoia', row: 2, col: 2 },
  { name: 'Elgeyo-Marakwet', row: 2, col: 3 },
  { name: 'Baringo', row: 2, col: 4 },
  { name: 'Laikipia', row: 2, col: 5 },
  { name: 'Meru', row: 2, col: 6 },
  { name: 'Busia', row: 3, col: 0 },
  { name: 'Kakamega', row: 3, col: 1 },
  { name: 'Nandi', row: 3, col: 2 },
  { name: 'Uasin Gishu', row: 3, col: 3 },
  { name: 'Nakuru', row: 3, col: 4 },
  { name: 'Nyandarua', row: 3, col: 5 },
  { name: 'Nyeri', row: 3, col: 6 },
  { name: 'Tharaka-Nithi', row: 3, col: 7 },
  { name: 'Garissa', row: 3, col: 8 },
  { name: 'Siaya', row: 4, col: 0 },
  { name: 'Vihiga', row: 4, col: 1 },
  { name: 'Kisumu', row: 4, col: 2 },
  { name: 'Kericho', row: 4, col: 3 },
  { name: "Murang'a", row: 4, col: 5 },
  { name: 'Kirinyaga', row: 4, col: 6 },
  { name: 'Embu', row: 4, col: 7 },
  { name: 'Tana River', row: 4, col: 8 },
  { name: 'Homa Bay', row: 5, col: 0 },
  { name: 'Kisii', row: 5, col: 1 },
  { name: 'Nyamira', row: 5, col: 2 },
  { name: 'Bomet', row: 5, col: 3 },
  { name: 'Narok', row: 5, col: 4 },
  { name: 'Kiambu', row: 5, col: 5 },
  { name: 'Machakos', row: 5, col: 6 },
  { name: 'Kitui', row: 5, col: 7 },
  { name: 'Lamu', row: 5, col: 9 },
  { name: 'Migori', row: 6, col: 1 },
  { name: 'Kajiado', row: 6, col: 4 },
  { name: 'Nairobi', row: 6, col: 5 },
  { name: 'Makueni', row: 6, col: 6 },
  { name: 'Kilifi', row: 6, col: 8 },
  { name: 'Taita-Taveta', row: 7, col: 6 },
  { name: 'Kwale', row: 7, col: 7 },
  { name: 'Mombasa', row: 7, col: 8 },
];

/** Loose matching of a county label from the data ("Nairobi City", "MURANG'A", "Muranga") to its tile. */
export function countyKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\bcity\b/g, '')
    .replace(/[^a-z]/g, '');
}
