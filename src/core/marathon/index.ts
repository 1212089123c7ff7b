// Public API of the Marathon core: pure functions over plain data, no Pulumi, no I/O.
export * from "./types";
export { validateApp } from "./validateApp";
export type { ValidateOptions } from "./validateApp";
export { normalizeApp } from "./normalize";
export type { NormalizeOptions } from "./normalize";
export { absoluteAppId, appIdSegments, validateAppId } from "./appId";
export { canonicalNetworks, translateNetworks } from "./networkTranslation";
export type { DeclaredNetwork, NetworkDeclaration } from "./networkTranslation";
export { assignServicePorts, SERVICE_PORT_MAX, SERVICE_PORT_MIN } from "./servicePorts";
export type { ServicePortAssignment, ServicePortRequest } from "./servicePorts";
export { appDnsNames, CONTAINER_IP_DOMAIN, MESOS_DNS_DOMAIN } from "./dns";
export { isVipLabel, parseVip, VIP_DOMAIN, vipNames } from "./vip";
export type { Vip, VipResult } from "./vip";
export { APP_DEFAULTS, DEFAULT_NETWORK_NAME, MESOS_BRIDGE_NAME } from "./rules";
