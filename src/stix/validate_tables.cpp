#include "stix/validate_tables.h"

#include <initializer_list>

// The tables below transcribe the property tables of the STIX 2.1 specification (with Errata 01).
// Each property's kind, requiredness, vocabulary and reference targets come from its row; where a
// row's description adds a normative constraint the engine cannot read from the kind (a range, a
// "MUST NOT be negative"), it is written next to the property. Checks that involve several
// properties live in stix/validate.cpp.

namespace sw::stix::detail {
namespace {

// §10 vocabularies (-ov, open) and enumerations (-enum, closed), values in specification order.
constexpr std::string_view kAccountTypeOvValues[] = {
    "facebook", "ldap",    "nis",  "openid",        "radius",        "skype",
    "tacacs",   "twitter", "unix", "windows-local", "windows-domain"};
constexpr Vocab kAccountTypeOv{"account-type-ov", "10.1", kAccountTypeOvValues};
constexpr std::string_view kAttackMotivationOvValues[] = {"accidental",    "coercion",
                                                          "dominance",     "ideology",
                                                          "notoriety",     "organizational-gain",
                                                          "personal-gain", "personal-satisfaction",
                                                          "revenge",       "unpredictable"};
constexpr Vocab kAttackMotivationOv{"attack-motivation-ov", "10.2", kAttackMotivationOvValues};
constexpr std::string_view kAttackResourceLevelOvValues[] = {
    "individual", "club", "contest", "team", "organization", "government"};
constexpr Vocab kAttackResourceLevelOv{"attack-resource-level-ov", "10.3",
                                       kAttackResourceLevelOvValues};
constexpr std::string_view kEncryptionAlgorithmEnumValues[] = {"AES-256-GCM", "ChaCha20-Poly1305",
                                                               "mime-type-indicated"};
constexpr Vocab kEncryptionAlgorithmEnum{"encryption-algorithm-enum", "10.4",
                                         kEncryptionAlgorithmEnumValues};
constexpr std::string_view kExtensionTypeEnumValues[] = {
    "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"};
constexpr std::string_view kGroupingContextOvValues[] = {"suspicious-activity", "malware-analysis",
                                                         "unspecified"};
constexpr Vocab kGroupingContextOv{"grouping-context-ov", "10.6", kGroupingContextOvValues};
constexpr std::string_view kHashAlgorithmOvValues[] = {"MD5",      "SHA-1",    "SHA-256", "SHA-512",
                                                       "SHA3-256", "SHA3-512", "SSDEEP",  "TLSH"};
constexpr std::string_view kIdentityClassOvValues[] = {"individual",   "group", "system",
                                                       "organization", "class", "unknown"};
constexpr Vocab kIdentityClassOv{"identity-class-ov", "10.8", kIdentityClassOvValues};
constexpr std::string_view kImplementationLanguageOvValues[] = {
    "applescript", "bash",         "c",      "c++",         "c#",    "go",
    "java",        "javascript",   "lua",    "objective-c", "perl",  "php",
    "powershell",  "python",       "ruby",   "rust",        "scala", "swift",
    "typescript",  "visual-basic", "x86-32", "x86-64"};
constexpr Vocab kImplementationLanguageOv{"implementation-language-ov", "10.9",
                                          kImplementationLanguageOvValues};
constexpr std::string_view kIndicatorTypeOvValues[] = {
    "anomalous-activity", "anonymization", "benign", "compromised",
    "malicious-activity", "attribution",   "unknown"};
constexpr Vocab kIndicatorTypeOv{"indicator-type-ov", "10.10", kIndicatorTypeOvValues};
constexpr std::string_view kIndustrySectorOvValues[] = {"agriculture",
                                                        "aerospace",
                                                        "automotive",
                                                        "chemical",
                                                        "commercial",
                                                        "communications",
                                                        "construction",
                                                        "defense",
                                                        "education",
                                                        "energy",
                                                        "entertainment",
                                                        "financial-services",
                                                        "government",
                                                        "emergency-services",
                                                        "government-local",
                                                        "government-national",
                                                        "government-public-services",
                                                        "government-regional",
                                                        "healthcare",
                                                        "hospitality-leisure",
                                                        "infrastructure",
                                                        "dams",
                                                        "nuclear",
                                                        "water",
                                                        "insurance",
                                                        "legal",
                                                        "manufacturing",
                                                        "mining",
                                                        "non-profit",
                                                        "pharmaceuticals",
                                                        "retail",
                                                        "technology",
                                                        "telecommunications",
                                                        "transportation",
                                                        "utilities"};
constexpr Vocab kIndustrySectorOv{"industry-sector-ov", "10.11", kIndustrySectorOvValues};
constexpr std::string_view kInfrastructureTypeOvValues[] = {"amplification",
                                                            "anonymization",
                                                            "botnet",
                                                            "command-and-control",
                                                            "control-system",
                                                            "exfiltration",
                                                            "firewall",
                                                            "hosting-malware",
                                                            "hosting-target-lists",
                                                            "phishing",
                                                            "reconnaissance",
                                                            "routers-switches",
                                                            "staging",
                                                            "workstation",
                                                            "unknown"};
constexpr Vocab kInfrastructureTypeOv{"infrastructure-type-ov", "10.12",
                                      kInfrastructureTypeOvValues};
constexpr std::string_view kMalwareCapabilitiesOvValues[] = {
    "accesses-remote-machines",
    "anti-debugging",
    "anti-disassembly",
    "anti-emulation",
    "anti-memory-forensics",
    "anti-sandbox",
    "anti-vm",
    "captures-input-peripherals",
    "captures-output-peripherals",
    "captures-system-state-data",
    "cleans-traces-of-infection",
    "commits-fraud",
    "communicates-with-c2",
    "compromises-data-availability",
    "compromises-data-integrity",
    "compromises-system-availability",
    "controls-local-machine",
    "degrades-security-software",
    "degrades-system-updates",
    "determines-c2-server",
    "emails-spam",
    "escalates-privileges",
    "evades-av",
    "exfiltrates-data",
    "fingerprints-host",
    "hides-artifacts",
    "hides-executing-code",
    "infects-files",
    "infects-remote-machines",
    "installs-other-components",
    "persists-after-system-reboot",
    "prevents-artifact-access",
    "prevents-artifact-deletion",
    "probes-network-environment",
    "self-modifies",
    "steals-authentication-credentials",
    "violates-system-operational-integrity"};
constexpr Vocab kMalwareCapabilitiesOv{"malware-capabilities-ov", "10.13",
                                       kMalwareCapabilitiesOvValues};
constexpr std::string_view kMalwareResultOvValues[] = {"malicious", "suspicious", "benign",
                                                       "unknown"};
constexpr Vocab kMalwareResultOv{"malware-result-ov", "10.14", kMalwareResultOvValues};
constexpr std::string_view kMalwareTypeOvValues[] = {"adware",
                                                     "backdoor",
                                                     "bot",
                                                     "bootkit",
                                                     "ddos",
                                                     "downloader",
                                                     "dropper",
                                                     "exploit-kit",
                                                     "keylogger",
                                                     "ransomware",
                                                     "remote-access-trojan",
                                                     "resource-exploitation",
                                                     "rogue-security-software",
                                                     "rootkit",
                                                     "screen-capture",
                                                     "spyware",
                                                     "trojan",
                                                     "unknown",
                                                     "virus",
                                                     "webshell",
                                                     "wiper",
                                                     "worm"};
constexpr Vocab kMalwareTypeOv{"malware-type-ov", "10.15", kMalwareTypeOvValues};
constexpr std::string_view kNetworkSocketAddressFamilyEnumValues[] = {
    "AF_UNSPEC",  "AF_INET",  "AF_IPX",  "AF_APPLETALK",
    "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH"};
constexpr Vocab kNetworkSocketAddressFamilyEnum{"network-socket-address-family-enum", "10.16",
                                                kNetworkSocketAddressFamilyEnumValues};
constexpr std::string_view kNetworkSocketTypeEnumValues[] = {
    "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET"};
constexpr Vocab kNetworkSocketTypeEnum{"network-socket-type-enum", "10.17",
                                       kNetworkSocketTypeEnumValues};
constexpr std::string_view kOpinionEnumValues[] = {"strongly-disagree", "disagree", "neutral",
                                                   "agree", "strongly-agree"};
constexpr Vocab kOpinionEnum{"opinion-enum", "10.18", kOpinionEnumValues};
constexpr std::string_view kPatternTypeOvValues[] = {"stix",  "pcre",     "sigma",
                                                     "snort", "suricata", "yara"};
constexpr Vocab kPatternTypeOv{"pattern-type-ov", "10.19", kPatternTypeOvValues};
constexpr std::string_view kProcessorArchitectureOvValues[] = {
    "alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64"};
constexpr Vocab kProcessorArchitectureOv{"processor-architecture-ov", "10.20",
                                         kProcessorArchitectureOvValues};
constexpr std::string_view kRegionOvValues[] = {"africa",
                                                "eastern-africa",
                                                "middle-africa",
                                                "northern-africa",
                                                "southern-africa",
                                                "western-africa",
                                                "americas",
                                                "caribbean",
                                                "central-america",
                                                "latin-america-caribbean",
                                                "northern-america",
                                                "south-america",
                                                "asia",
                                                "central-asia",
                                                "eastern-asia",
                                                "southern-asia",
                                                "south-eastern-asia",
                                                "western-asia",
                                                "europe",
                                                "eastern-europe",
                                                "northern-europe",
                                                "southern-europe",
                                                "western-europe",
                                                "oceania",
                                                "antarctica",
                                                "australia-new-zealand",
                                                "melanesia",
                                                "micronesia",
                                                "polynesia"};
constexpr Vocab kRegionOv{"region-ov", "10.21", kRegionOvValues};
constexpr std::string_view kReportTypeOvValues[] = {
    "attack-pattern", "campaign",      "identity", "incident",
    "indicator",      "intrusion-set", "malware",  "observed-data",
    "threat-actor",   "threat-report", "tool",     "vulnerability"};
constexpr Vocab kReportTypeOv{"report-type-ov", "10.22", kReportTypeOvValues};
constexpr std::string_view kThreatActorTypeOvValues[] = {"activist",
                                                         "competitor",
                                                         "crime-syndicate",
                                                         "criminal",
                                                         "hacker",
                                                         "insider-accidental",
                                                         "insider-disgruntled",
                                                         "nation-state",
                                                         "private-sector",
                                                         "sensationalist",
                                                         "spy",
                                                         "terrorist",
                                                         "unknown"};
constexpr Vocab kThreatActorTypeOv{"threat-actor-type-ov", "10.23", kThreatActorTypeOvValues};
constexpr std::string_view kThreatActorRoleOvValues[] = {"agent",
                                                         "director",
                                                         "independent",
                                                         "infrastructure-architect",
                                                         "infrastructure-operator",
                                                         "malware-author",
                                                         "sponsor"};
constexpr Vocab kThreatActorRoleOv{"threat-actor-role-ov", "10.24", kThreatActorRoleOvValues};
constexpr std::string_view kThreatActorSophisticationOvValues[] = {
    "none", "minimal", "intermediate", "advanced", "expert", "innovator", "strategic"};
constexpr Vocab kThreatActorSophisticationOv{"threat-actor-sophistication-ov", "10.25",
                                             kThreatActorSophisticationOvValues};
constexpr std::string_view kToolTypeOvValues[] = {
    "denial-of-service",       "exploitation",  "information-gathering",  "network-capture",
    "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown"};
constexpr Vocab kToolTypeOv{"tool-type-ov", "10.26", kToolTypeOvValues};
constexpr std::string_view kWindowsIntegrityLevelEnumValues[] = {"low", "medium", "high", "system"};
constexpr Vocab kWindowsIntegrityLevelEnum{"windows-integrity-level-enum", "10.27",
                                           kWindowsIntegrityLevelEnumValues};
constexpr std::string_view kWindowsPebinaryTypeOvValues[] = {"dll", "exe", "sys"};
constexpr Vocab kWindowsPebinaryTypeOv{"windows-pebinary-type-ov", "10.28",
                                       kWindowsPebinaryTypeOvValues};
constexpr std::string_view kWindowsRegistryDatatypeEnumValues[] = {"REG_NONE",
                                                                   "REG_SZ",
                                                                   "REG_EXPAND_SZ",
                                                                   "REG_BINARY",
                                                                   "REG_DWORD",
                                                                   "REG_DWORD_BIG_ENDIAN",
                                                                   "REG_DWORD_LITTLE_ENDIAN",
                                                                   "REG_LINK",
                                                                   "REG_MULTI_SZ",
                                                                   "REG_RESOURCE_LIST",
                                                                   "REG_FULL_RESOURCE_DESCRIPTION",
                                                                   "REG_RESOURCE_REQUIREMENTS_LIST",
                                                                   "REG_QWORD",
                                                                   "REG_INVALID_TYPE"};
constexpr Vocab kWindowsRegistryDatatypeEnum{"windows-registry-datatype-enum", "10.29",
                                             kWindowsRegistryDatatypeEnumValues};
constexpr std::string_view kWindowsServiceStartTypeEnumValues[] = {
    "SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED",
    "SERVICE_SYSTEM_ALERT"};
constexpr Vocab kWindowsServiceStartTypeEnum{"windows-service-start-type-enum", "10.30",
                                             kWindowsServiceStartTypeEnumValues};
constexpr std::string_view kWindowsServiceTypeEnumValues[] = {
    "SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS",
    "SERVICE_WIN32_SHARE_PROCESS"};
constexpr Vocab kWindowsServiceTypeEnum{"windows-service-type-enum", "10.31",
                                        kWindowsServiceTypeEnumValues};
constexpr std::string_view kWindowsServiceStatusEnumValues[] = {
    "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING",
    "SERVICE_START_PENDING",    "SERVICE_STOP_PENDING",  "SERVICE_STOPPED"};
constexpr Vocab kWindowsServiceStatusEnum{"windows-service-status-enum", "10.32",
                                          kWindowsServiceStatusEnumValues};

constexpr Use R = Use::kRequired;
constexpr double kInf = std::numeric_limits<double>::infinity();

constexpr Targets to(std::initializer_list<SpecType> types, uint8_t classes = 0) {
  Targets t{0, classes};
  for (SpecType s : types) t.types |= uint64_t{1} << s;
  return t;
}
constexpr Targets kToAny = to({}, kAnyObject);

constexpr Prop str(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kString, .use = u};
}
constexpr Prop strs(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kStringList, .use = u};
}
constexpr Prop boolean(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kBoolean, .use = u};
}
constexpr Prop ts(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kTimestamp, .use = u};
}
constexpr Prop integer(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kInteger, .use = u};
}
// An integer with a normative range (`must`) or a descriptive one ("as a non-negative integer").
constexpr Prop integer(std::string_view n, double lo, double hi, bool must = true,
                       Use u = Use::kOptional) {
  return {.name = n, .kind = K::kInteger, .use = u, .lo = lo, .hi = hi, .range_must = must};
}
constexpr Prop non_negative(std::string_view n, bool must = true) {
  return integer(n, 0, kInf, must);
}
constexpr Prop flt(std::string_view n, double lo = -kInf, double hi = kInf) {
  return {.name = n, .kind = K::kFloat, .lo = lo, .hi = hi};
}
constexpr Prop hex(std::string_view n, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kHex, .use = u};
}
constexpr Prop bin(std::string_view n) { return {.name = n, .kind = K::kBinary}; }
constexpr Prop hashes(std::string_view n) { return {.name = n, .kind = K::kHashes}; }
constexpr Prop dict(std::string_view n, DictVal v = DictVal::kAny) {
  return {.name = n, .kind = K::kDict, .dict_val = v};
}
constexpr Prop vocab(std::string_view n, const Vocab& v, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kVocab, .use = u, .vocab = &v};
}
constexpr Prop vocabs(std::string_view n, const Vocab& v) {
  return {.name = n, .kind = K::kVocabList, .vocab = &v};
}
constexpr Prop enumeration(std::string_view n, const Vocab& v, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kEnum, .use = u, .vocab = &v};
}
constexpr Prop enumerations(std::string_view n, const Vocab& v, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kEnumList, .use = u, .vocab = &v};
}
constexpr Prop ref(std::string_view n, Targets t, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kRef, .use = u, .targets = t};
}
constexpr Prop refs(std::string_view n, Targets t, Use u = Use::kOptional) {
  return {.name = n, .kind = K::kRefList, .use = u, .targets = t};
}
constexpr Prop object(std::string_view n, N type) {
  return {.name = n, .kind = K::kObject, .nested = &kNestedDefs[static_cast<int>(type)]};
}
constexpr Prop objects(std::string_view n, N type, Use u = Use::kOptional) {
  return {
      .name = n, .kind = K::kObjectList, .use = u, .nested = &kNestedDefs[static_cast<int>(type)]};
}
constexpr Prop kill_chain_phases() { return objects("kill_chain_phases", N::kKillChainPhase); }

// ---- Nested types (§2.5, §2.11, §6, §7.2) and predefined extensions (§6) ----

// §2.5.1
constexpr Prop kExternalReferenceProps[] = {str("source_name", R), str("description"), str("url"),
                                            hashes("hashes"), str("external_id")};
// §2.11
constexpr Prop kKillChainPhaseProps[] = {str("kill_chain_name", R), str("phase_name", R)};
// §7.2.3
constexpr Prop kGranularMarkingProps[] = {{.name = "lang", .kind = K::kLangTag},
                                          ref("marking_ref", to({kMarkingDefinition})),
                                          strs("selectors", R)};
// §6.6.2
constexpr Prop kEmailMimePartProps[] = {str("body"), ref("body_raw_ref", to({kArtifact, kFile})),
                                        str("content_type"), str("content_disposition")};
// §6.7.3
constexpr Prop kAlternateDataStreamProps[] = {str("name", R), hashes("hashes"),
                                              non_negative("size")};
// §6.7.6
constexpr Prop kPeOptionalHeaderProps[] = {hex("magic_hex"),
                                           integer("major_linker_version"),
                                           integer("minor_linker_version"),
                                           non_negative("size_of_code"),
                                           non_negative("size_of_initialized_data"),
                                           non_negative("size_of_uninitialized_data"),
                                           integer("address_of_entry_point"),
                                           integer("base_of_code"),
                                           integer("base_of_data"),
                                           integer("image_base"),
                                           integer("section_alignment"),
                                           integer("file_alignment"),
                                           integer("major_os_version"),
                                           integer("minor_os_version"),
                                           integer("major_image_version"),
                                           integer("minor_image_version"),
                                           integer("major_subsystem_version"),
                                           integer("minor_subsystem_version"),
                                           hex("win32_version_value_hex"),
                                           non_negative("size_of_image"),
                                           non_negative("size_of_headers"),
                                           hex("checksum_hex"),
                                           hex("subsystem_hex"),
                                           hex("dll_characteristics_hex"),
                                           non_negative("size_of_stack_reserve"),
                                           non_negative("size_of_stack_commit"),
                                           non_negative("size_of_heap_reserve"),
                                           non_negative("size_of_heap_commit"),
                                           hex("loader_flags_hex"),
                                           integer("number_of_rva_and_sizes"),
                                           hashes("hashes")};
// §6.7.6
constexpr Prop kPeSectionProps[] = {str("name", R), non_negative("size"), flt("entropy"),
                                    hashes("hashes")};
// §6.17.2
constexpr Prop kRegistryValueProps[] = {str("name"), str("data"),
                                        enumeration("data_type", kWindowsRegistryDatatypeEnum)};
// §6.18.2
constexpr Prop kX509V3ExtensionsProps[] = {str("basic_constraints"),
                                           str("name_constraints"),
                                           str("policy_constraints"),
                                           str("key_usage"),
                                           str("extended_key_usage"),
                                           str("subject_key_identifier"),
                                           str("authority_key_identifier"),
                                           str("subject_alternative_name"),
                                           str("issuer_alternative_name"),
                                           str("subject_directory_attributes"),
                                           str("crl_distribution_points"),
                                           str("inhibit_any_policy"),
                                           ts("private_key_usage_period_not_before"),
                                           ts("private_key_usage_period_not_after"),
                                           str("certificate_policies"),
                                           str("policy_mappings")};
constexpr Prop kStatementMarkingProps[] = {str("statement", R)};  // §7.2.1.3
constexpr Prop kTlpMarkingProps[] = {str("tlp", R)};              // §7.2.1.4
// §6.7.2
constexpr Prop kArchiveExtProps[] = {refs("contains_refs", to({kFile, kDirectory}), R),
                                     str("comment")};
// §6.7.3
constexpr Prop kNtfsExtProps[] = {str("sid"),
                                  objects("alternate_data_streams", N::kAlternateDataStream)};
// §6.7.4
constexpr Prop kPdfExtProps[] = {str("version"), boolean("is_optimized"),
                                 dict("document_info_dict", DictVal::kString), str("pdfid0"),
                                 str("pdfid1")};
// §6.7.5
constexpr Prop kRasterImageExtProps[] = {integer("image_height"), integer("image_width"),
                                         integer("bits_per_pixel"),
                                         dict("exif_tags", DictVal::kIntOrString)};
// §6.7.6 (pe_type first: kAtLeastOneBesidesFirst)
constexpr Prop kWindowsPebinaryExtProps[] = {vocab("pe_type", kWindowsPebinaryTypeOv, R),
                                             str("imphash"),
                                             hex("machine_hex"),
                                             non_negative("number_of_sections", false),
                                             ts("time_date_stamp"),
                                             hex("pointer_to_symbol_table_hex"),
                                             non_negative("number_of_symbols", false),
                                             non_negative("size_of_optional_header"),
                                             hex("characteristics_hex"),
                                             hashes("file_header_hashes"),
                                             object("optional_header", N::kPeOptionalHeader),
                                             objects("sections", N::kPeSection)};
// §6.12.2
constexpr Prop kHttpRequestExtProps[] = {
    str("request_method", R),       str("request_value", R),
    str("request_version"),         dict("request_header", DictVal::kStringList),
    integer("message_body_length"), ref("message_body_data_ref", to({kArtifact}))};
// §6.12.3
constexpr Prop kIcmpExtProps[] = {hex("icmp_type_hex", R), hex("icmp_code_hex", R)};
// §6.12.4
constexpr Prop kSocketExtProps[] = {
    enumeration("address_family", kNetworkSocketAddressFamilyEnum, R),
    boolean("is_blocking"),
    boolean("is_listening"),
    dict("options", DictVal::kInteger),
    enumeration("socket_type", kNetworkSocketTypeEnum),
    non_negative("socket_descriptor", false),
    integer("socket_handle")};
constexpr Prop kTcpExtProps[] = {hex("src_flags_hex"), hex("dst_flags_hex")};  // §6.12.5
// §6.13.2
constexpr Prop kWindowsProcessExtProps[] = {
    boolean("aslr_enabled"),
    boolean("dep_enabled"),
    str("priority"),
    str("owner_sid"),
    str("windows_title"),
    dict("startup_info"),
    enumeration("integrity_level", kWindowsIntegrityLevelEnum)};
// §6.13.3
constexpr Prop kWindowsServiceExtProps[] = {
    str("service_name"),
    strs("descriptions"),
    str("display_name"),
    str("group_name"),
    enumeration("start_type", kWindowsServiceStartTypeEnum),
    refs("service_dll_refs", to({kFile})),
    enumeration("service_type", kWindowsServiceTypeEnum),
    enumeration("service_status", kWindowsServiceStatusEnum)};
// §6.16.2
constexpr Prop kUnixAccountExtProps[] = {integer("gid"), strs("groups"), str("home_dir"),
                                         str("shell")};

}  // namespace

const ObjDef kNestedDefs[static_cast<int>(N::kCount)] = {
    {.name = "external-reference", .section = "2.5", .props = kExternalReferenceProps},
    {.name = "kill-chain-phase", .section = "2.11", .props = kKillChainPhaseProps},
    {.name = "granular-marking", .section = "7.2.3", .props = kGranularMarkingProps},
    {.name = "email-mime-part-type", .section = "6.6.2", .props = kEmailMimePartProps},
    {.name = "alternate-data-stream-type", .section = "6.7.3", .props = kAlternateDataStreamProps},
    {.name = "windows-pe-optional-header-type",
     .section = "6.7.6",
     .props = kPeOptionalHeaderProps,
     .flags = kAtLeastOneProp},
    {.name = "windows-pe-section-type", .section = "6.7.6", .props = kPeSectionProps},
    {.name = "windows-registry-value-type",
     .section = "6.17.2",
     .props = kRegistryValueProps,
     .flags = kAtLeastOneProp},
    {.name = "x509-v3-extensions-type",
     .section = "6.18.2",
     .props = kX509V3ExtensionsProps,
     .flags = kAtLeastOneProp},
    {.name = "statement", .section = "7.2.1.3", .props = kStatementMarkingProps},
    {.name = "tlp", .section = "7.2.1.4", .props = kTlpMarkingProps},
    {.name = "archive-ext", .section = "6.7.2", .props = kArchiveExtProps},
    {.name = "ntfs-ext", .section = "6.7.3", .props = kNtfsExtProps, .flags = kAtLeastOneProp},
    {.name = "pdf-ext", .section = "6.7.4", .props = kPdfExtProps, .flags = kAtLeastOneProp},
    {.name = "raster-image-ext",
     .section = "6.7.5",
     .props = kRasterImageExtProps,
     .flags = kAtLeastOneProp},
    {.name = "windows-pebinary-ext",
     .section = "6.7.6",
     .props = kWindowsPebinaryExtProps,
     .flags = kAtLeastOneBesidesFirst},
    {.name = "http-request-ext", .section = "6.12.2", .props = kHttpRequestExtProps},
    {.name = "icmp-ext", .section = "6.12.3", .props = kIcmpExtProps},
    {.name = "socket-ext", .section = "6.12.4", .props = kSocketExtProps},
    {.name = "tcp-ext", .section = "6.12.5", .props = kTcpExtProps, .flags = kAtLeastOneProp},
    {.name = "windows-process-ext",
     .section = "6.13.2",
     .props = kWindowsProcessExtProps,
     .flags = kAtLeastOneProp},
    {.name = "windows-service-ext",
     .section = "6.13.3",
     .props = kWindowsServiceExtProps,
     .flags = kAtLeastOneProp},
    {.name = "unix-account-ext",
     .section = "6.16.2",
     .props = kUnixAccountExtProps,
     .flags = kAtLeastOneProp}};

const Vocab kExtensionTypeEnum{"extension-type-enum", "10.5", kExtensionTypeEnumValues};
const Vocab kHashAlgorithmOv{"hash-algorithm-ov", "10.7", kHashAlgorithmOvValues};

namespace {

// ---- §3.2 common properties ----

constexpr Targets kToSdoOrSco = to({}, kAnySdo | kAnySco);

// ---- §4 SDOs ----

// §4.1.1
constexpr Prop kAttackPatternProps[] = {str("name", R), str("description"), strs("aliases"),
                                        kill_chain_phases()};
// §4.2.1
constexpr Prop kCampaignProps[] = {str("name", R),   str("description"), strs("aliases"),
                                   ts("first_seen"), ts("last_seen"),    str("objective")};
// §4.3.1
constexpr Prop kCourseOfActionProps[] = {
    str("name", R), str("description"), {.name = "action", .kind = K::kReserved}};
// §4.4.1
constexpr Prop kGroupingProps[] = {str("name"), str("description"),
                                   vocab("context", kGroupingContextOv, R),
                                   refs("object_refs", kToAny, R)};
// §4.5.1
constexpr Prop kIdentityProps[] = {str("name", R),
                                   str("description"),
                                   strs("roles"),
                                   vocab("identity_class", kIdentityClassOv),
                                   vocabs("sectors", kIndustrySectorOv),
                                   str("contact_information")};
// §4.6.1
constexpr Prop kIncidentProps[] = {str("name", R), str("description")};
// §4.7.1
constexpr Prop kIndicatorProps[] = {str("name"),
                                    str("description"),
                                    vocabs("indicator_types", kIndicatorTypeOv),
                                    str("pattern", R),
                                    vocab("pattern_type", kPatternTypeOv, R),
                                    str("pattern_version"),
                                    ts("valid_from", R),
                                    ts("valid_until"),
                                    kill_chain_phases()};
// §4.8.1
constexpr Prop kInfrastructureProps[] = {
    str("name", R),  str("description"),  vocabs("infrastructure_types", kInfrastructureTypeOv),
    strs("aliases"), kill_chain_phases(), ts("first_seen"),
    ts("last_seen")};
// §4.9.1
constexpr Prop kIntrusionSetProps[] = {str("name", R),
                                       str("description"),
                                       strs("aliases"),
                                       ts("first_seen"),
                                       ts("last_seen"),
                                       strs("goals"),
                                       vocab("resource_level", kAttackResourceLevelOv),
                                       vocab("primary_motivation", kAttackMotivationOv),
                                       vocabs("secondary_motivations", kAttackMotivationOv)};
// §4.10.1
constexpr Prop kLocationProps[] = {str("name"),
                                   str("description"),
                                   flt("latitude", -90.0, 90.0),
                                   flt("longitude", -180.0, 180.0),
                                   flt("precision"),
                                   vocab("region", kRegionOv),
                                   str("country"),
                                   str("administrative_area"),
                                   str("city"),
                                   str("street_address"),
                                   str("postal_code")};
// §4.11.1 (Errata 01: is_family is optional)
constexpr Prop kMalwareProps[] = {str("name"),
                                  str("description"),
                                  vocabs("malware_types", kMalwareTypeOv),
                                  boolean("is_family"),
                                  strs("aliases"),
                                  kill_chain_phases(),
                                  ts("first_seen"),
                                  ts("last_seen"),
                                  refs("operating_system_refs", to({kSoftware})),
                                  vocabs("architecture_execution_envs", kProcessorArchitectureOv),
                                  vocabs("implementation_languages", kImplementationLanguageOv),
                                  vocabs("capabilities", kMalwareCapabilitiesOv),
                                  refs("sample_refs", to({kFile, kArtifact}))};
// §4.12.1
constexpr Prop kMalwareAnalysisProps[] = {
    str("product", R),
    str("version"),
    ref("host_vm_ref", to({kSoftware})),
    ref("operating_system_ref", to({kSoftware})),
    refs("installed_software_refs", to({kSoftware})),
    str("configuration_version"),
    strs("modules"),
    str("analysis_engine_version"),
    str("analysis_definition_version"),
    ts("submitted"),
    ts("analysis_started"),
    ts("analysis_ended"),
    str("result_name"),
    vocab("result", kMalwareResultOv),
    refs("analysis_sco_refs", kToAny),
    ref("sample_ref", to({kFile, kNetworkTraffic, kArtifact}))};
// §4.13.1
constexpr Prop kNoteProps[] = {str("abstract"), str("content", R), strs("authors"),
                               refs("object_refs", kToAny, R)};
// §4.14.1
constexpr Prop kObservedDataProps[] = {ts("first_observed", R),
                                       ts("last_observed", R),
                                       integer("number_observed", 1, 999'999'999, true, R),
                                       {.name = "objects", .kind = K::kContainer},
                                       refs("object_refs", to({}, kAnySco | kAnySro))};
// §4.15.1
constexpr Prop kOpinionProps[] = {str("explanation"), strs("authors"),
                                  enumeration("opinion", kOpinionEnum, R),
                                  refs("object_refs", kToAny, R)};
// §4.16.1
constexpr Prop kReportProps[] = {str("name", R), str("description"),
                                 vocabs("report_types", kReportTypeOv), ts("published", R),
                                 refs("object_refs", kToAny, R)};
// §4.17.1
constexpr Prop kThreatActorProps[] = {str("name", R),
                                      str("description"),
                                      vocabs("threat_actor_types", kThreatActorTypeOv),
                                      strs("aliases"),
                                      ts("first_seen"),
                                      ts("last_seen"),
                                      vocabs("roles", kThreatActorRoleOv),
                                      strs("goals"),
                                      vocab("sophistication", kThreatActorSophisticationOv),
                                      vocab("resource_level", kAttackResourceLevelOv),
                                      vocab("primary_motivation", kAttackMotivationOv),
                                      vocabs("secondary_motivations", kAttackMotivationOv),
                                      vocabs("personal_motivations", kAttackMotivationOv)};
// §4.18.1
constexpr Prop kToolProps[] = {
    str("name", R),  str("description"),  vocabs("tool_types", kToolTypeOv),
    strs("aliases"), kill_chain_phases(), str("tool_version")};
// §4.19.1
constexpr Prop kVulnerabilityProps[] = {str("name", R), str("description")};

// ---- §5 SROs ----

// §5.1.2
constexpr Prop kRelationshipProps[] = {
    str("relationship_type", R),       str("description"), ref("source_ref", kToSdoOrSco, R),
    ref("target_ref", kToSdoOrSco, R), ts("start_time"),   ts("stop_time")};
// §5.2.1 (summary: boolean, as §2.2's example and its meaning)
constexpr Prop kSightingProps[] = {str("description"),
                                   ts("first_seen"),
                                   ts("last_seen"),
                                   integer("count", 0, 999'999'999),
                                   ref("sighting_of_ref", to({}, kAnySdo), R),
                                   refs("observed_data_refs", to({kObservedData})),
                                   refs("where_sighted_refs", to({kIdentity, kLocation})),
                                   boolean("summary")};

// ---- §6 SCOs ----

// §6.1.1
constexpr Prop kArtifactProps[] = {str("mime_type"),
                                   bin("payload_bin"),
                                   str("url"),
                                   hashes("hashes"),
                                   enumeration("encryption_algorithm", kEncryptionAlgorithmEnum),
                                   str("decryption_key")};
// §6.2.1
constexpr Prop kAutonomousSystemProps[] = {integer("number", R), str("name"), str("rir")};
// §6.3.1
constexpr Prop kDirectoryProps[] = {str("path", R), str("path_enc"),
                                    ts("ctime"),    ts("mtime"),
                                    ts("atime"),    refs("contains_refs", to({kFile, kDirectory}))};
// §6.4.1
constexpr Prop kDomainNameProps[] = {
    str("value", R), refs("resolves_to_refs", to({kIpv4Addr, kIpv6Addr, kDomainName}))};
// §6.5.1
constexpr Prop kEmailAddrProps[] = {str("value", R), str("display_name"),
                                    ref("belongs_to_ref", to({kUserAccount}))};
// §6.6.1
constexpr Prop kEmailMessageProps[] = {boolean("is_multipart", R),
                                       ts("date"),
                                       str("content_type"),
                                       ref("from_ref", to({kEmailAddr})),
                                       ref("sender_ref", to({kEmailAddr})),
                                       refs("to_refs", to({kEmailAddr})),
                                       refs("cc_refs", to({kEmailAddr})),
                                       refs("bcc_refs", to({kEmailAddr})),
                                       str("message_id"),
                                       str("subject"),
                                       strs("received_lines"),
                                       dict("additional_header_fields", DictVal::kStringList),
                                       str("body"),
                                       objects("body_multipart", N::kEmailMimePart),
                                       ref("raw_email_ref", to({kArtifact}))};
// §6.7.1
constexpr Prop kFileProps[] = {hashes("hashes"),
                               non_negative("size"),
                               str("name"),
                               str("name_enc"),
                               hex("magic_number_hex"),
                               str("mime_type"),
                               ts("ctime"),
                               ts("mtime"),
                               ts("atime"),
                               ref("parent_directory_ref", to({kDirectory})),
                               refs("contains_refs", kToAny),
                               ref("content_ref", to({kArtifact}))};
// §6.8.1
constexpr Prop kIpv4AddrProps[] = {str("value", R), refs("resolves_to_refs", to({kMacAddr})),
                                   refs("belongs_to_refs", to({kAutonomousSystem}))};
// §6.9.1
constexpr Prop kIpv6AddrProps[] = {str("value", R), refs("resolves_to_refs", to({kMacAddr})),
                                   refs("belongs_to_refs", to({kAutonomousSystem}))};
constexpr Prop kMacAddrProps[] = {str("value", R)};  // §6.10.1
constexpr Prop kMutexProps[] = {str("name", R)};     // §6.11.1
constexpr Targets kToNetworkAddress = to({kIpv4Addr, kIpv6Addr, kMacAddr, kDomainName});
// §6.12.1
constexpr Prop kNetworkTrafficProps[] = {ts("start"),
                                         ts("end"),
                                         boolean("is_active"),
                                         ref("src_ref", kToNetworkAddress),
                                         ref("dst_ref", kToNetworkAddress),
                                         integer("src_port", 0, 65535),
                                         integer("dst_port", 0, 65535),
                                         strs("protocols", R),
                                         non_negative("src_byte_count", false),
                                         non_negative("dst_byte_count", false),
                                         non_negative("src_packets", false),
                                         non_negative("dst_packets", false),
                                         dict("ipfix", DictVal::kIntOrString),
                                         ref("src_payload_ref", to({kArtifact})),
                                         ref("dst_payload_ref", to({kArtifact})),
                                         refs("encapsulates_refs", to({kNetworkTraffic})),
                                         ref("encapsulated_by_ref", to({kNetworkTraffic}))};
// §6.13.1
constexpr Prop kProcessProps[] = {boolean("is_hidden"),
                                  integer("pid"),
                                  ts("created_time"),
                                  str("cwd"),
                                  str("command_line"),
                                  dict("environment_variables", DictVal::kString),
                                  refs("opened_connection_refs", to({kNetworkTraffic})),
                                  ref("creator_user_ref", to({kUserAccount})),
                                  ref("image_ref", to({kFile})),
                                  ref("parent_ref", to({kProcess})),
                                  refs("child_refs", to({kProcess}))};
// §6.14.1
constexpr Prop kSoftwareProps[] = {str("name", R),    str("cpe"),    str("swid"),
                                   strs("languages"), str("vendor"), str("version")};
constexpr Prop kUrlProps[] = {str("value", R)};  // §6.15.1
// §6.16.1
constexpr Prop kUserAccountProps[] = {str("user_id"),
                                      str("credential"),
                                      str("account_login"),
                                      vocab("account_type", kAccountTypeOv),
                                      str("display_name"),
                                      boolean("is_service_account"),
                                      boolean("is_privileged"),
                                      boolean("can_escalate_privs"),
                                      boolean("is_disabled"),
                                      ts("account_created"),
                                      ts("account_expires"),
                                      ts("credential_last_changed"),
                                      ts("account_first_login"),
                                      ts("account_last_login")};
// §6.17.1
constexpr Prop kWindowsRegistryKeyProps[] = {
    str("key"), objects("values", N::kRegistryValue), ts("modified_time"),
    ref("creator_user_ref", to({kUserAccount})), integer("number_of_subkeys")};
// §6.18.1
constexpr Prop kX509CertificateProps[] = {boolean("is_self_signed"),
                                          hashes("hashes"),
                                          str("version"),
                                          str("serial_number"),
                                          str("signature_algorithm"),
                                          str("issuer"),
                                          ts("validity_not_before"),
                                          ts("validity_not_after"),
                                          str("subject"),
                                          str("subject_public_key_algorithm"),
                                          str("subject_public_key_modulus"),
                                          integer("subject_public_key_exponent"),
                                          object("x509_v3_extensions", N::kX509V3Extensions)};

// ---- §7 meta objects ----

// §7.1.1
constexpr Prop kLanguageContentProps[] = {ref("object_ref", kToAny, R),
                                          ts("object_modified"),
                                          {.name = "contents", .kind = K::kLangContents, .use = R}};
// §7.2.1 (definition_type: open-vocab, custom allowed)
constexpr Prop kMarkingDefinitionProps[] = {
    str("name"), str("definition_type"), {.name = "definition", .kind = K::kMarkingBody}};
// §7.3.1
constexpr Prop kExtensionDefinitionProps[] = {
    str("name", R),
    str("description"),
    str("schema", R),
    str("version", R),
    enumerations("extension_types", kExtensionTypeEnum, R),
    strs("extension_properties")};

constexpr N kFileExtensions[] = {N::kArchiveExt, N::kNtfsExt, N::kPdfExt, N::kRasterImageExt,
                                 N::kWindowsPebinaryExt};
constexpr N kNetworkTrafficExtensions[] = {N::kHttpRequestExt, N::kIcmpExt, N::kSocketExt,
                                           N::kTcpExt};
constexpr N kProcessExtensions[] = {N::kWindowsProcessExt, N::kWindowsServiceExt};
constexpr N kUserAccountExtensions[] = {N::kUnixAccountExt};

}  // namespace

const ObjDef kTopDefs[kNumSpecTypes] = {
    {.name = "attack-pattern", .cls = Cls::kSdo, .section = "4.1.1", .props = kAttackPatternProps},
    {.name = "campaign", .cls = Cls::kSdo, .section = "4.2.1", .props = kCampaignProps},
    {.name = "course-of-action",
     .cls = Cls::kSdo,
     .section = "4.3.1",
     .props = kCourseOfActionProps},
    {.name = "grouping", .cls = Cls::kSdo, .section = "4.4.1", .props = kGroupingProps},
    {.name = "identity", .cls = Cls::kSdo, .section = "4.5.1", .props = kIdentityProps},
    {.name = "incident", .cls = Cls::kSdo, .section = "4.6.1", .props = kIncidentProps},
    {.name = "indicator", .cls = Cls::kSdo, .section = "4.7.1", .props = kIndicatorProps},
    {.name = "infrastructure", .cls = Cls::kSdo, .section = "4.8.1", .props = kInfrastructureProps},
    {.name = "intrusion-set", .cls = Cls::kSdo, .section = "4.9.1", .props = kIntrusionSetProps},
    {.name = "location", .cls = Cls::kSdo, .section = "4.10.1", .props = kLocationProps},
    {.name = "malware", .cls = Cls::kSdo, .section = "4.11.1", .props = kMalwareProps},
    {.name = "malware-analysis",
     .cls = Cls::kSdo,
     .section = "4.12.1",
     .props = kMalwareAnalysisProps},
    {.name = "note", .cls = Cls::kSdo, .section = "4.13.1", .props = kNoteProps},
    {.name = "observed-data", .cls = Cls::kSdo, .section = "4.14.1", .props = kObservedDataProps},
    {.name = "opinion", .cls = Cls::kSdo, .section = "4.15.1", .props = kOpinionProps},
    {.name = "report", .cls = Cls::kSdo, .section = "4.16.1", .props = kReportProps},
    {.name = "threat-actor", .cls = Cls::kSdo, .section = "4.17.1", .props = kThreatActorProps},
    {.name = "tool", .cls = Cls::kSdo, .section = "4.18.1", .props = kToolProps},
    {.name = "vulnerability", .cls = Cls::kSdo, .section = "4.19.1", .props = kVulnerabilityProps},
    {.name = "relationship", .cls = Cls::kSro, .section = "5.1.2", .props = kRelationshipProps},
    {.name = "sighting", .cls = Cls::kSro, .section = "5.2.1", .props = kSightingProps},
    {.name = "artifact", .cls = Cls::kSco, .section = "6.1.1", .props = kArtifactProps},
    {.name = "autonomous-system",
     .cls = Cls::kSco,
     .section = "6.2.1",
     .props = kAutonomousSystemProps},
    {.name = "directory", .cls = Cls::kSco, .section = "6.3.1", .props = kDirectoryProps},
    {.name = "domain-name", .cls = Cls::kSco, .section = "6.4.1", .props = kDomainNameProps},
    {.name = "email-addr", .cls = Cls::kSco, .section = "6.5.1", .props = kEmailAddrProps},
    {.name = "email-message", .cls = Cls::kSco, .section = "6.6.1", .props = kEmailMessageProps},
    {.name = "file",
     .cls = Cls::kSco,
     .section = "6.7.1",
     .props = kFileProps,
     .extensions = kFileExtensions},
    {.name = "ipv4-addr", .cls = Cls::kSco, .section = "6.8.1", .props = kIpv4AddrProps},
    {.name = "ipv6-addr", .cls = Cls::kSco, .section = "6.9.1", .props = kIpv6AddrProps},
    {.name = "mac-addr", .cls = Cls::kSco, .section = "6.10.1", .props = kMacAddrProps},
    {.name = "mutex", .cls = Cls::kSco, .section = "6.11.1", .props = kMutexProps},
    {.name = "network-traffic",
     .cls = Cls::kSco,
     .section = "6.12.1",
     .props = kNetworkTrafficProps,
     .extensions = kNetworkTrafficExtensions},
    {.name = "process",
     .cls = Cls::kSco,
     .section = "6.13.1",
     .props = kProcessProps,
     .extensions = kProcessExtensions},
    {.name = "software", .cls = Cls::kSco, .section = "6.14.1", .props = kSoftwareProps},
    {.name = "url", .cls = Cls::kSco, .section = "6.15.1", .props = kUrlProps},
    {.name = "user-account",
     .cls = Cls::kSco,
     .section = "6.16.1",
     .props = kUserAccountProps,
     .extensions = kUserAccountExtensions},
    {.name = "windows-registry-key",
     .cls = Cls::kSco,
     .section = "6.17.1",
     .props = kWindowsRegistryKeyProps},
    {.name = "x509-certificate",
     .cls = Cls::kSco,
     .section = "6.18.1",
     .props = kX509CertificateProps},
    {.name = "language-content",
     .cls = Cls::kMeta,
     .section = "7.1.1",
     .props = kLanguageContentProps},
    {.name = "marking-definition",
     .cls = Cls::kMeta,
     .section = "7.2.1",
     .props = kMarkingDefinitionProps},
    {.name = "extension-definition",
     .cls = Cls::kMeta,
     .section = "7.3.1",
     .props = kExtensionDefinitionProps}};

const Prop kCommonProps[kNumCommon] = {{.name = "type", .kind = K::kType},
                                       {.name = "spec_version", .kind = K::kSpecVersion},
                                       {.name = "id", .kind = K::kId},
                                       ref("created_by_ref", to({kIdentity})),
                                       {.name = "created", .kind = K::kTimestamp, .millis = true},
                                       {.name = "modified", .kind = K::kTimestamp, .millis = true},
                                       boolean("revoked"),
                                       strs("labels"),
                                       integer("confidence", 0, 100),
                                       {.name = "lang", .kind = K::kLangTag},
                                       objects("external_references", N::kExternalReference),
                                       refs("object_marking_refs", to({kMarkingDefinition})),
                                       objects("granular_markings", N::kGranularMarking),
                                       boolean("defanged"),
                                       {.name = "extensions", .kind = K::kExtensions}};

namespace {
constexpr Use O = Use::kOptional;
constexpr Use X = Use::kNotApplicable;
}  // namespace

// §3.2's summary table, one row per column (the "Bundle" column does not apply to objects).
// clang-format off
//   type spec id  cbr  crt  mod  rev  lab  conf lang eref omr  gm   def  ext
const Use kCommonUse[kNumColumns][kNumCommon] = {
    {R, R, R, O, R, R, O, O, O, O, O, O, O, X, O},  // SDOs and SROs
    {R, O, R, X, X, X, X, X, X, X, X, O, O, O, O},  // SCOs
    {R, R, R, R, R, R, O, O, X, X, O, O, O, X, X},  // extension-definition
    {R, R, R, O, R, R, O, O, O, X, O, O, O, X, O},  // language-content
    {R, R, R, O, R, X, X, X, X, X, O, O, O, X, O},  // marking-definition
    {R, O, R, O, O, O, O, O, O, O, O, O, O, O, O},  // custom object of unknown class
};
// clang-format on

CommonColumn common_column(SpecType t) {
  switch (t) {
    case kLanguageContent:
      return kColLanguage;
    case kMarkingDefinition:
      return kColMarking;
    case kExtensionDefinition:
      return kColExtension;
    default:
      break;
  }
  return kTopDefs[t].cls == Cls::kSco ? kColSco : kColSdoSro;
}

}  // namespace sw::stix::detail
