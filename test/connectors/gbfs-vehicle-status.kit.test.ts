import { gbfsVehicleStatus } from '../../connectors/gbfs-vehicle-status.js';
import { describeConnectorKit } from './kit.js';

// python3 on vehicle_status.3.0.json: vehicle_id|vehicle_type_id|is_disabled|station_id for
// each of data.vehicles (lower-case booleans, '' for no station), sorted, joined by '\n',
// sha256: 2 lines.
describeConnectorKit({
  connector: gbfsVehicleStatus,
  params: (url) => ({ url: `${url}/gbfs/3.0/vehicle_status.json` }),
  faultPath: '/gbfs/3.0/vehicle_status',
  expected: {
    rows: 2,
    line: `vehicle_id || '|' || vehicle_type_id || '|' || CAST(is_disabled AS VARCHAR) || '|' || coalesce(station_id, '')`,
    sha256: '6ba796a5b23a25efdc5e88af47008d740a51148069848b3f48613ba4e06cbf00',
  },
});
