/**
 * Great-circle distances. The Earth is taken as a sphere of the IUGG mean radius, 6371.0088 km;
 * the independent figures of the tests use the same radius.
 */

export const earthRadiusKm = 6371.0088;

export interface Point {
  latitude: number;
  longitude: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Haversine distance between two points, in kilometres. */
export function haversineKm(from: Point, to: Point): number {
  const latitudeDelta = radians(to.latitude - from.latitude);
  const longitudeDelta = radians(to.longitude - from.longitude);
  const h =
    Math.sin(latitudeDelta / 2) ** 2 +
    Math.cos(radians(from.latitude)) *
      Math.cos(radians(to.latitude)) *
      Math.sin(longitudeDelta / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.sqrt(h));
}

/** Length of a polyline, in kilometres. */
export function pathLengthKm(points: readonly Point[]): number {
  let total = 0;
  for (let index = 1; index < points.length; index += 1) {
    total += haversineKm(points[index - 1]!, points[index]!);
  }
  return total;
}
