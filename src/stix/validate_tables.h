// The STIX 2.1 property tables the validator (stix/validate.cpp) checks objects against: every
// specification object type (§4–§7), the nested types and predefined extensions (§2.5, §2.11,
// §6.x, §7.2), the common-property table of §3.2 and the vocabularies and enumerations of §10.
//
// Everything here is constant data with static storage; the validator builds its look-up index
// over it once. Internal to the stix module (namespace detail).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

namespace sw::stix::detail {

// The object classes of §3.2's common-property table. kNested: a type that is only ever the value
// of a property (external-reference, kill-chain-phase, predefined extensions, ...).
enum class Cls : uint8_t { kSdo, kSro, kSco, kMeta, kNested, kCustom };

// Specification object types; the order is the order of kTopDefs.
enum SpecType : uint8_t {
  // SDOs (§4)
  kAttackPattern,
  kCampaign,
  kCourseOfAction,
  kGrouping,
  kIdentity,
  kIncident,
  kIndicator,
  kInfrastructure,
  kIntrusionSet,
  kLocation,
  kMalware,
  kMalwareAnalysis,
  kNote,
  kObservedData,
  kOpinion,
  kReport,
  kThreatActor,
  kTool,
  kVulnerability,
  // SROs (§5)
  kRelationship,
  kSighting,
  // SCOs (§6)
  kArtifact,
  kAutonomousSystem,
  kDirectory,
  kDomainName,
  kEmailAddr,
  kEmailMessage,
  kFile,
  kIpv4Addr,
  kIpv6Addr,
  kMacAddr,
  kMutex,
  kNetworkTraffic,
  kProcess,
  kSoftware,
  kUrl,
  kUserAccount,
  kWindowsRegistryKey,
  kX509Certificate,
  // Meta objects (§7)
  kLanguageContent,
  kMarkingDefinition,
  kExtensionDefinition,
  kNumSpecTypes
};

// Nested types and predefined extensions; the order is the order of kNestedDefs.
enum class N : uint8_t {
  kExternalReference,
  kKillChainPhase,
  kGranularMarking,
  kEmailMimePart,
  kAlternateDataStream,
  kPeOptionalHeader,
  kPeSection,
  kRegistryValue,
  kX509V3Extensions,
  kStatementMarking,
  kTlpMarking,
  kArchiveExt,
  kNtfsExt,
  kPdfExt,
  kRasterImageExt,
  kWindowsPebinaryExt,
  kHttpRequestExt,
  kIcmpExt,
  kSocketExt,
  kTcpExt,
  kWindowsProcessExt,
  kWindowsServiceExt,
  kUnixAccountExt,
  kCount
};

// How a property's value is checked.
enum class K : uint8_t {
  kType,
  kSpecVersion,
  kId,  // the common properties with their own rules
  kString,
  kBoolean,
  kInteger,
  kFloat,
  kTimestamp,
  kRef,
  kRefList,  // identifier(s) restricted to `targets`
  kStringList,
  kLangTag,  // list of string; an RFC 5646 language tag
  kVocab,
  kVocabList,  // open vocabulary (a value outside is a warning)
  kEnum,
  kEnumList,  // enumeration (a value outside is an error)
  kHex,
  kBinary,
  kHashes,
  kDict,
  kObject,
  kObjectList,    // a nested type (`nested`)
  kExtensions,    // the `extensions` common property (§3.2, §7.3, §11.3)
  kContainer,     // observed-data `objects` (§2.13, deprecated)
  kLangContents,  // language-content `contents` (§7.1)
  kMarkingBody,   // marking-definition `definition` (§7.2.1)
  kReserved,      // RESERVED (§3.8): must not be present
};

// Whether a property must, may or should not be present on an object.
enum class Use : uint8_t { kOptional, kRequired, kNotApplicable };

// What the values of a `dictionary` property must be.
enum class DictVal : uint8_t { kAny, kString, kInteger, kIntOrString, kStringList };

struct Vocab {
  std::string_view name;     // "indicator-type-ov"
  std::string_view section;  // "10.10"
  std::span<const std::string_view> values;
};

// Which object types a reference may point to: explicit specification types, or whole classes
// (a class bit also admits custom types, which may be custom objects of that class).
enum TargetClass : uint8_t { kAnySdo = 1, kAnySro = 2, kAnySco = 4, kAnyMeta = 8, kAnyObject = 15 };
struct Targets {
  uint64_t types = 0;   // bit per SpecType
  uint8_t classes = 0;  // TargetClass bits
};

struct ObjDef;

struct Prop {
  std::string_view name;
  K kind = K::kString;
  Use use = Use::kOptional;
  const Vocab* vocab = nullptr;                          // kVocab*, kEnum*
  Targets targets{};                                     // kRef, kRefList
  const ObjDef* nested = nullptr;                        // kObject, kObjectList
  double lo = -std::numeric_limits<double>::infinity();  // kInteger, kFloat: inclusive range
  double hi = std::numeric_limits<double>::infinity();
  bool range_must = true;            // false: the range is descriptive (a warning)
  DictVal dict_val = DictVal::kAny;  // kDict
  bool millis = false;               // kTimestamp: at least millisecond precision (§3.2)
};

// ObjDef::flags
enum DefFlags : uint8_t {
  kAtLeastOneProp = 1,          // "MUST contain at least one property" of the type's own
  kAtLeastOneBesidesFirst = 2,  // ... other than the first (windows-pebinary-ext: pe_type)
};

struct ObjDef {
  std::string_view name;  // type name ("indicator", "kill-chain-phase", "ntfs-ext")
  Cls cls = Cls::kNested;
  std::string_view section;     // where the property table is: "4.7.1"
  std::span<const Prop> props;  // the type's own properties (common ones come from kCommonProps)
  uint8_t flags = 0;
  std::span<const N> extensions{};  // predefined extensions the type defines (§6)
};

// The common properties of §3.2, in this order (a top-level definition's property i < kNumCommon
// is common property i).
enum Common : uint8_t {
  kCType,
  kCSpecVersion,
  kCId,
  kCCreatedByRef,
  kCCreated,
  kCModified,
  kCRevoked,
  kCLabels,
  kCConfidence,
  kCLang,
  kCExternalReferences,
  kCObjectMarkingRefs,
  kCGranularMarkings,
  kCDefanged,
  kCExtensions,
  kNumCommon
};

// Columns of §3.2's table: which class of object uses which common property how.
enum CommonColumn : uint8_t {
  kColSdoSro,
  kColSco,
  kColExtension,
  kColLanguage,
  kColMarking,
  kColCustom,
  kNumColumns
};

extern const Prop kCommonProps[kNumCommon];
extern const Use kCommonUse[kNumColumns][kNumCommon];
extern const ObjDef kTopDefs[kNumSpecTypes];
extern const ObjDef kNestedDefs[static_cast<int>(N::kCount)];

inline const ObjDef& nested(N n) { return kNestedDefs[static_cast<int>(n)]; }

// The column of §3.2 that applies to a specification type.
CommonColumn common_column(SpecType t);

// Vocabularies used outside the property tables.
extern const Vocab kHashAlgorithmOv;
extern const Vocab kExtensionTypeEnum;

}  // namespace sw::stix::detail
