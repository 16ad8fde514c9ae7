// Tests of the STIX 2.1 validator (stix/validate.h): a clean example of every object type, one
// table of violations per rule, the SCO deterministic ids, the specification's own examples and
// every object of the shared real-world data (MITRE ATT&CK, MBC, OASIS, OpenCTI).
#include "stix/validate.h"

#include <gtest/gtest.h>

#include "stix/validate_formats.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace sw::stix {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  bool ok = false;
  std::vector<Issue> issues;
  bool parsed = false;

  bool has(std::string_view rule, std::string_view path, Severity sev) const {
    return std::any_of(issues.begin(), issues.end(), [&](const Issue& i) {
      return i.rule == rule && i.path == path && i.severity == sev;
    });
  }
  size_t count(Severity sev) const {
    return static_cast<size_t>(std::count_if(issues.begin(), issues.end(),
                                             [&](const Issue& i) { return i.severity == sev; }));
  }
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  for (const Issue& i : o.issues)
    os << "\n  " << (i.severity == Severity::kError ? "error " : "warning ") << i.rule << " at "
       << i.path << ": " << i.message;
  return os;
}

Outcome validate(std::string_view json) {
  Outcome out;
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  simdjson::dom::object obj;
  if (parser.parse(text).get_object().get(obj) != simdjson::SUCCESS) return out;
  out.parsed = true;
  out.ok = validate_object(obj, out.issues);
  return out;
}

std::optional<std::string> det_id(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string text(json);
  simdjson::dom::object obj;
  if (parser.parse(text).get_object().get(obj) != simdjson::SUCCESS) return "unparsable";
  return sco_deterministic_id(obj);
}

// `base` with the members of `patch` set (a null member removes the property).
std::string patched(std::string_view base, std::string_view patch) {
  boost::json::object b = boost::json::parse(base).as_object();
  const boost::json::value p = boost::json::parse(patch);
  for (const auto& kv : p.as_object()) {
    if (kv.value().is_null())
      b.erase(kv.key());
    else
      b[kv.key()] = kv.value();
  }
  return boost::json::serialize(b);
}

// ---------------------------------------------------------------------------------------------
// Clean objects: no errors and no warnings. Mostly the specification's examples, completed where
// they elide ("...").

constexpr const char* kIndicator = R"({
  "type": "indicator", "spec_version": "2.1",
  "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
  "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
  "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
  "indicator_types": ["malicious-activity"], "name": "Poison Ivy Malware",
  "description": "This file is part of Poison Ivy",
  "pattern": "[ file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' ]",
  "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z",
  "kill_chain_phases": [{"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "delivery"}],
  "external_references": [{"source_name": "veris", "external_id": "0001AA7F-C601-424A-B2B8-BE6C9F5164E7",
    "url": "https://example.com/vcdb.json",
    "hashes": {"SHA-256": "6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b"}}],
  "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
  "granular_markings": [{"marking_ref": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "selectors": ["description", "kill_chain_phases.[0].phase_name"]}],
  "labels": ["poison-ivy"], "confidence": 80, "lang": "en"
})";

constexpr const char* kMalware = R"({
  "type": "malware", "spec_version": "2.1", "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
  "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
  "name": "Cryptolocker", "description": "...", "malware_types": ["ransomware"], "is_family": false,
  "operating_system_refs": ["software--710b0b41-d4d0-5d6c-a400-fc9254554ffc"],
  "sample_refs": ["file--949eb97a-da1e-5292-8959-03c4249dc9f3"], "capabilities": ["evades-av"],
  "first_seen": "2016-05-12T08:17:27Z", "last_seen": "2016-05-13T08:17:27Z"
})";

constexpr const char* kRelationship = R"({
  "type": "relationship", "spec_version": "2.1",
  "id": "relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e",
  "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
  "relationship_type": "uses",
  "source_ref": "intrusion-set--0c7e22ad-b099-4dc3-b0df-2ea3f49ae2e6",
  "target_ref": "attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5",
  "start_time": "2016-05-12T08:17:27Z", "stop_time": "2016-05-14T08:17:27Z"
})";

constexpr const char* kSighting = R"({
  "type": "sighting", "spec_version": "2.1", "id": "sighting--ee20065d-2555-424f-ad9e-0f8428623c75",
  "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
  "created": "2016-04-06T20:08:31.000Z", "modified": "2016-04-06T20:08:31.000Z",
  "first_seen": "2015-12-21T19:00:00Z", "last_seen": "2015-12-21T19:00:00Z", "count": 50,
  "sighting_of_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
  "observed_data_refs": ["observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf"],
  "where_sighted_refs": ["identity--b67d30ff-02ac-498a-92f9-32f845f448ff"], "summary": false
})";

constexpr const char* kObservedData = R"({
  "type": "observed-data", "spec_version": "2.1",
  "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
  "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
  "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
  "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z",
  "number_observed": 50, "object_refs": ["ipv4-addr--efcd5e80-570d-4131-b213-62cb18eaa6a8",
  "domain-name--ecb120bf-2694-4902-a737-62b74539a41b"]
})";

constexpr const char* kLocation = R"({
  "type": "location", "spec_version": "2.1", "id": "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64",
  "created": "2016-04-06T20:03:00.000Z", "modified": "2016-04-06T20:03:00.000Z",
  "latitude": 48.8566, "longitude": 2.3522, "precision": 1000.0, "region": "western-europe"
})";

constexpr const char* kFile = R"({
  "type": "file", "spec_version": "2.1", "id": "file--b0966a3a-3520-5236-b272-d138e4abe7a1",
  "name": "example.exe",
  "extensions": {"windows-pebinary-ext": {"pe_type": "exe", "machine_hex": "014c", "number_of_sections": 4,
    "time_date_stamp": "2016-01-22T12:31:12Z", "pointer_to_symbol_table_hex": "74726144",
    "number_of_symbols": 4542568, "size_of_optional_header": 224, "characteristics_hex": "818f",
    "optional_header": {"magic_hex": "010b", "size_of_code": 4096, "size_of_stack_reserve": 100000,
      "hashes": {"SHA-256": "0bba2a0b6f6f1da1d2f3d4b9ad4e5e8bd4b9ad4e5e8bd4b9ad4e5e8bd4b9ad4e"}},
    "sections": [{"name": "CODE", "entropy": 0.061089,
      "hashes": {"SHA-256": "ad1ba9b8e1f65a35fd66fc46c6eee8a6c10c7c4a2ba5f0cc90ef1763c6d3b18c"}}]}}
})";

constexpr const char* kIpv4 = R"({
  "type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
  "value": "198.51.100.3"
})";

constexpr const char* kNetworkTraffic = R"({
  "type": "network-traffic", "spec_version": "2.1",
  "id": "network-traffic--760ac29e-2790-533a-b65a-e30ae802f89c",
  "src_ref": "ipv4-addr--9cf4a8ec-7640-5f40-a006-79942896168b",
  "dst_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "src_port": 2487, "dst_port": 1723,
  "protocols": ["ipv4", "tcp"], "start": "2016-01-01T00:00:00.000Z", "is_active": true
})";

constexpr const char* kArtifact = R"({
  "type": "artifact", "spec_version": "2.1", "id": "artifact--2a216321-46e6-529e-8af7-a78884e1a1b6",
  "mime_type": "application/zip", "payload_bin": "UEsDBBQAAAAIAA==",
  "encryption_algorithm": "mime-type-indicated", "decryption_key": "My voice is my passport"
})";

constexpr const char* kEmailMessage = R"({
  "type": "email-message", "spec_version": "2.1",
  "id": "email-message--16177f7c-38c5-59f4-baa5-b934fa13ce49",
  "from_ref": "email-addr--6deb37bd-12b7-54ae-805f-5f7146f3d171",
  "to_refs": ["email-addr--2aeeb98c-9db4-525e-874d-221fdfe9f76e"], "is_multipart": true,
  "date": "1997-11-21T15:55:06.000Z", "subject": "Saying Hello",
  "additional_header_fields": {"Content-Disposition": ["inline"], "X-Mailer": ["Mutt/1.5.23"]},
  "body_multipart": [{"content_type": "text/plain; charset=utf-8", "body": "Cats are funny!"},
    {"content_type": "image/png", "body_raw_ref": "artifact--6be1fbcb-fd03-5ec3-b05f-4329746e9d2b"}]
})";

constexpr const char* kProcess = R"({
  "type": "process", "spec_version": "2.1", "id": "process--f52a906a-0dfc-40bd-92f1-e7778ead38a9",
  "pid": 1221, "command_line": "./gedit-bin --new-window",
  "image_ref": "file--3eb55c0e-fe96-588b-a7ab-10f55f7ec596",
  "extensions": {"windows-process-ext": {"aslr_enabled": true, "integrity_level": "high",
    "startup_info": {"lpDesktop": "desktop"}}}
})";

constexpr const char* kUserAccount = R"({
  "type": "user-account", "spec_version": "2.1",
  "id": "user-account--f94d689e-707d-58c3-b803-c720bb6ed096",
  "user_id": "1001", "account_login": "jdoe", "account_type": "unix", "display_name": "John Doe",
  "is_service_account": false, "account_created": "2016-01-20T12:31:12Z",
  "extensions": {"unix-account-ext": {"gid": 1001, "groups": ["wheel"], "home_dir": "/home/jdoe",
    "shell": "/bin/bash"}}
})";

constexpr const char* kRegistryKey = R"({
  "type": "windows-registry-key", "spec_version": "2.1",
  "id": "windows-registry-key--f6a11ddf-fa2b-54c8-97ab-e7f28413095a",
  "key": "hkey_local_machine\\system\\bar\\foo",
  "values": [{"name": "Foo", "data": "qwerty", "data_type": "REG_SZ"},
    {"name": "Bar", "data": "42", "data_type": "REG_DWORD"}]
})";

constexpr const char* kX509 = R"({
  "type": "x509-certificate", "spec_version": "2.1",
  "id": "x509-certificate--bf86f034-2390-54d7-8426-d08433db3fbe",
  "serial_number": "36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06",
  "x509_v3_extensions": {"basic_constraints": "critical,CA:TRUE, pathlen:0",
    "private_key_usage_period_not_before": "2016-03-12T12:00:00Z"}
})";

constexpr const char* kMarkingTlp = R"({
  "type": "marking-definition", "spec_version": "2.1",
  "id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "created": "2017-01-20T00:00:00.000Z",
  "definition_type": "tlp", "name": "TLP:GREEN", "definition": {"tlp": "green"}
})";

constexpr const char* kMarkingTlp2 = R"({
  "type": "marking-definition", "spec_version": "2.1",
  "id": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "created": "2022-10-01T00:00:00.000Z",
  "name": "TLP:GREEN",
  "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
    "extension_type": "property-extension", "tlp_2_0": "green"}}
})";

constexpr const char* kMarkingStatement = R"({
  "type": "marking-definition", "spec_version": "2.1",
  "id": "marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd", "created": "2016-08-01T00:00:00.000Z",
  "definition_type": "statement", "definition": {"statement": "Copyright 2019, Example Corp"}
})";

constexpr const char* kExtensionDefinition = R"({
  "id": "extension-definition--71736db5-10db-43d3-b0e3-65cf81601fe1", "type": "extension-definition",
  "spec_version": "2.1", "name": "Extension Foo 1a", "description": "Adds two top-level properties",
  "created": "2014-02-20T09:16:08.989000Z", "modified": "2014-02-20T09:16:08.989000Z",
  "created_by_ref": "identity--11b76a96-5d2b-45e0-8a5a-f6994f370731",
  "schema": "https://www.example.com/schema-foo-1a/v1/", "version": "1.2.1",
  "extension_types": ["toplevel-property-extension"], "extension_properties": ["toxicity", "rank"]
})";

constexpr const char* kLanguageContent = R"({
  "type": "language-content", "id": "language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d",
  "spec_version": "2.1", "created": "2017-02-08T21:31:22.007Z", "modified": "2017-02-08T21:31:22.007Z",
  "object_ref": "campaign--12a111f0-b824-4baf-a224-83b80237a094",
  "object_modified": "2017-02-08T21:31:22.007Z",
  "contents": {"de": {"name": "Bank Angriff 1", "description": "Weitere Informationen"},
               "fr": {"name": "Attaque Bank 1", "labels": ["", "banque"]}}
})";

constexpr const char* kCustomObject = R"({
  "type": "x-example-com-customobject", "spec_version": "2.1",
  "id": "x-example-com-customobject--4527e5de-8572-446a-a57a-706f15467461",
  "created": "2016-08-01T00:00:00.000Z", "modified": "2016-08-01T00:00:00.000Z",
  "some_custom_stuff": 14, "other_custom_stuff": "hello"
})";

constexpr const char* kNewSdo = R"({
  "type": "my-favorite-sdo", "spec_version": "2.1",
  "id": "my-favorite-sdo--ac97aae4-83f1-46ca-a351-7aeb76678189",
  "created": "2014-02-20T09:16:08.989000Z", "modified": "2014-02-20T09:16:08.989000Z",
  "name": "This is the name of my favorite", "some_property_name1": "value1",
  "extensions": {"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62": {"extension_type": "new-sdo"}}
})";

constexpr const char* kMalwareAnalysis = R"({
  "type": "malware-analysis", "spec_version": "2.1",
  "id": "malware-analysis--d25167b7-fed0-4068-9ccd-a73dd2c5b07c",
  "created": "2020-01-16T18:52:24.277Z", "modified": "2020-01-16T18:52:24.277Z",
  "product": "microsoft", "analysis_engine_version": "5.1.0", "result": "malicious",
  "sample_ref": "file--ba04c974-3cef-5f42-adc7-084d467874e2",
  "analysis_sco_refs": ["file--ba04c974-3cef-5f42-adc7-084d467874e2"]
})";

constexpr const char* kCourseOfAction = R"({
  "type": "course-of-action", "spec_version": "2.1",
  "id": "course-of-action--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
  "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
  "name": "Add TCP port 80 Filter Rule to the existing Block UDP 1434 Filter"
})";

constexpr const char* kAttackPattern = R"({
  "type": "attack-pattern", "spec_version": "2.1",
  "id": "attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
  "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
  "name": "Spear Phishing", "external_references": [{"source_name": "capec", "external_id": "CAPEC-163"}]
})";

constexpr const char* kVulnerability = R"({
  "type": "vulnerability", "spec_version": "2.1",
  "id": "vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
  "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
  "name": "CVE-2016-1234", "external_references": [{"source_name": "cve", "external_id": "CVE-2016-1234"}]
})";

TEST(Validate, CleanObjectsHaveNoIssues) {
  for (const char* json : {kIndicator,
                           kMalware,
                           kRelationship,
                           kSighting,
                           kObservedData,
                           kLocation,
                           kFile,
                           kIpv4,
                           kNetworkTraffic,
                           kArtifact,
                           kEmailMessage,
                           kProcess,
                           kUserAccount,
                           kRegistryKey,
                           kX509,
                           kMarkingTlp,
                           kMarkingTlp2,
                           kMarkingStatement,
                           kExtensionDefinition,
                           kLanguageContent,
                           kCustomObject,
                           kNewSdo,
                           kMalwareAnalysis,
                           kCourseOfAction,
                           kAttackPattern,
                           kVulnerability}) {
    Outcome o = validate(json);
    ASSERT_TRUE(o.parsed) << json;
    EXPECT_TRUE(o.ok) << json << o;
    EXPECT_TRUE(o.issues.empty()) << json << o;
  }
}

// ---------------------------------------------------------------------------------------------
// One table of violations: base object, patch (null removes a property), rule, path, severity.

struct Case {
  const char* name;
  const char* base;
  const char* patch;
  const char* rule;
  const char* path;
  Severity severity = Severity::kError;
};

constexpr Severity W = Severity::kWarning;

const Case kCases[] = {
    // required-property: per type, common by class, conditional
    {"indicator without pattern_type", kIndicator, R"({"pattern_type": null})", "required-property",
     "$"},
    {"indicator without valid_from", kIndicator, R"({"valid_from": null})", "required-property",
     "$"},
    {"SDO without spec_version", kMalware, R"({"spec_version": null})", "required-property", "$"},
    {"SDO without created", kMalware, R"({"created": null})", "required-property", "$"},
    {"SDO without modified", kMalware, R"({"modified": null})", "required-property", "$"},
    {"object without id", kIpv4, R"({"id": null})", "required-property", "$"},
    {"object without type", kIpv4, R"({"type": null})", "required-property", "$"},
    {"SCO without value", kIpv4, R"({"value": null})", "required-property", "$"},
    {"relationship without target_ref", kRelationship, R"({"target_ref": null})",
     "required-property", "$"},
    {"sighting without sighting_of_ref", kSighting, R"({"sighting_of_ref": null})",
     "required-property", "$"},
    {"kill chain phase without phase_name", kIndicator,
     R"({"kill_chain_phases": [{"kill_chain_name": "lockheed-martin-cyber-kill-chain"}]})",
     "required-property", "$.kill_chain_phases[0]"},
    {"external reference without source_name", kIndicator,
     R"({"external_references": [{"url": "https://a.example"}]})", "required-property",
     "$.external_references[0]"},
    {"external reference with source_name only", kIndicator,
     R"({"external_references": [{"source_name": "x"}]})", "required-property",
     "$.external_references[0]"},
    {"location without region, country or coordinates", kLocation,
     R"({"latitude": null, "longitude": null, "precision": null, "region": null, "city": "Paris"})",
     "required-property", "$"},
    {"location with latitude only", kLocation, R"({"longitude": null})", "required-property", "$"},
    {"location precision without coordinates", kLocation,
     R"({"latitude": null, "longitude": null})", "required-property", "$"},
    {"malware family without name", kMalware, R"({"is_family": true, "name": null})",
     "required-property", "$"},
    {"malware-analysis without result or analysis_sco_refs", kMalwareAnalysis,
     R"({"result": null, "analysis_sco_refs": null})", "required-property", "$"},
    {"observed-data without object_refs", kObservedData, R"({"object_refs": null})",
     "required-property", "$"},
    {"artifact without payload_bin or url", kArtifact, R"({"payload_bin": null})",
     "required-property", "$"},
    {"artifact url without hashes", kArtifact,
     R"({"payload_bin": null, "url": "https://example.com/a.zip"})", "required-property", "$"},
    {"file without hashes or name", kFile, R"({"name": null})", "required-property", "$"},
    {"network-traffic without src_ref or dst_ref", kNetworkTraffic,
     R"({"src_ref": null, "dst_ref": null})", "required-property", "$"},
    {"network-traffic without protocols", kNetworkTraffic, R"({"protocols": null})",
     "required-property", "$"},
    {"process with no property", kProcess,
     R"({"pid": null, "command_line": null, "image_ref": null, "extensions": null})",
     "required-property", "$"},
    {"user-account with no property", kUserAccount,
     R"({"user_id": null, "account_login": null, "account_type": null, "display_name": null,
         "is_service_account": null, "account_created": null, "extensions": null})",
     "required-property", "$"},
    {"email-message without is_multipart", kEmailMessage, R"({"is_multipart": null})",
     "required-property", "$"},
    {"MIME part without body or body_raw_ref", kEmailMessage,
     R"({"body_multipart": [{"content_type": "text/plain"}]})", "required-property",
     "$.body_multipart[0]"},
    {"empty ntfs-ext", kFile, R"({"extensions": {"ntfs-ext": {}}})", "required-property",
     "$.extensions.ntfs-ext"},
    {"windows-pebinary-ext with pe_type only", kFile,
     R"({"extensions": {"windows-pebinary-ext": {"pe_type": "dll"}}})", "required-property",
     "$.extensions.windows-pebinary-ext"},
    {"archive-ext without contains_refs", kFile,
     R"({"extensions": {"archive-ext": {"comment": "x"}}})", "required-property",
     "$.extensions.archive-ext"},
    {"registry value with no property", kRegistryKey, R"({"values": [{}]})", "required-property",
     "$.values[0]"},
    {"marking-definition without definition", kMarkingStatement, R"({"definition": null})",
     "required-property", "$"},
    {"marking-definition without created", kMarkingStatement, R"({"created": null})",
     "required-property", "$"},
    {"extension-definition without created_by_ref", kExtensionDefinition,
     R"({"created_by_ref": null})", "required-property", "$"},
    {"extension-definition without schema", kExtensionDefinition, R"({"schema": null})",
     "required-property", "$"},
    {"language-content without contents", kLanguageContent, R"({"contents": null})",
     "required-property", "$"},
    {"new-sdo custom object without created", kNewSdo, R"({"created": null})", "required-property",
     "$"},
    {"granular marking without lang or marking_ref", kIndicator,
     R"({"granular_markings": [{"selectors": ["name"]}]})", "required-property",
     "$.granular_markings[0]"},

    // id-format, type-format
    {"id without UUID", kIndicator, R"({"id": "indicator--1"})", "id-format", "$.id"},
    {"id prefix is not the type", kIndicator,
     R"({"id": "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"})", "id-format", "$.id"},
    {"id UUID not RFC 4122 (variant)", kIndicator,
     R"({"id": "indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f"})", "id-format", "$.id"},
    {"id with a single hyphen", kIpv4,
     R"({"id": "ipv4-addr-28bb3599-77cd-5a82-a950-b5bc3caf07c4"})", "id-format", "$.id"},
    {"type with uppercase", kCustomObject,
     R"({"type": "x-Example", "id": "x-Example--4527e5de-8572-446a-a57a-706f15467461"})",
     "type-format", "$.type"},
    {"type too short", kCustomObject,
     R"({"type": "xy", "id": "xy--4527e5de-8572-446a-a57a-706f15467461"})", "type-format",
     "$.type"},
    {"type with --", kCustomObject,
     R"({"type": "x--y", "id": "x--y--4527e5de-8572-446a-a57a-706f15467461"})", "type-format",
     "$.type"},
    {"type beginning with a digit", kCustomObject,
     R"({"type": "9x-y", "id": "9x-y--4527e5de-8572-446a-a57a-706f15467461"})", "type-format",
     "$.type"},
    {"a bundle is not an object", kCustomObject,
     R"({"type": "bundle", "id": "bundle--4527e5de-8572-446a-a57a-706f15467461"})", "type-format",
     "$.type"},

    // property-name, reserved-property
    {"custom property with uppercase", kIndicator, R"({"x_Foo": 1})", "property-name", "$.x_Foo"},
    {"custom property too short", kIndicator, R"({"xy": 1})", "property-name", "$.xy"},
    {"custom property with hyphen", kIndicator, R"({"x-foo": 1})", "property-name", "$.x-foo"},
    {"custom object property with hyphen", kCustomObject, R"({"some-stuff": 1})", "property-name",
     "$.some-stuff"},
    {"extension property with uppercase", kNewSdo,
     R"({"extensions": {"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62": {"extension_type": "property-extension", "Rank": 5}}})",
     "property-name",
     "$.extensions.extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62.Rank"},
    {"reserved severity", kIndicator, R"({"severity": "high"})", "reserved-property", "$.severity"},
    {"reserved action on course-of-action", kCourseOfAction, R"({"action": "x"})",
     "reserved-property", "$.action"},
    {"extension property name invalid", kExtensionDefinition,
     R"({"extension_properties": ["Rank"]})", "property-name", "$.extension_properties[0]"},

    // timestamps
    {"timestamp with offset", kIndicator, R"({"valid_from": "2016-01-01T00:00:00+01:00"})",
     "timestamp-format", "$.valid_from"},
    {"timestamp without time", kIndicator, R"({"valid_until": "2016-02-01"})", "timestamp-format",
     "$.valid_until"},
    {"timestamp with a bare decimal point", kIndicator,
     R"({"valid_from": "2016-01-01T00:00:00.Z"})", "timestamp-format", "$.valid_from"},
    {"February 30th", kIndicator, R"({"valid_from": "2016-02-30T00:00:00Z"})", "timestamp-format",
     "$.valid_from"},
    {"created in seconds", kIndicator, R"({"created": "2016-04-06T20:03:48Z"})",
     "timestamp-precision", "$.created"},
    {"modified in centiseconds", kIndicator, R"({"modified": "2016-04-06T20:03:48.00Z"})",
     "timestamp-precision", "$.modified"},
    {"marking created in seconds", kMarkingStatement, R"({"created": "2016-08-01T00:00:00Z"})",
     "timestamp-precision", "$.created"},
    {"modified before created", kIndicator, R"({"modified": "2016-04-06T20:03:47.999Z"})",
     "modified-before-created", "$.modified"},
    {"valid_until equal to valid_from", kIndicator,
     R"({"valid_until": "2016-01-01T00:00:00.000Z"})", "timestamp-order", "$.valid_until"},
    {"last_seen before first_seen", kMalware, R"({"last_seen": "2016-05-11T08:17:27Z"})",
     "timestamp-order", "$.last_seen"},
    {"last_observed before first_observed", kObservedData,
     R"({"last_observed": "2015-12-21T18:59:59Z"})", "timestamp-order", "$.last_observed"},
    {"stop_time equal to start_time", kRelationship, R"({"stop_time": "2016-05-12T08:17:27Z"})",
     "timestamp-order", "$.stop_time"},
    {"network traffic end before start", kNetworkTraffic,
     R"({"is_active": false, "end": "2015-12-31T00:00:00Z"})", "timestamp-order", "$.end"},

    // reference-type
    {"created_by_ref to a tool", kIndicator,
     R"({"created_by_ref": "tool--f431f809-377b-45e0-aa1c-6a4751cae5ff"})", "reference-type",
     "$.created_by_ref"},
    {"created_by_ref to a custom type", kIndicator,
     R"({"created_by_ref": "x-org--f431f809-377b-45e0-aa1c-6a4751cae5ff"})", "reference-type",
     "$.created_by_ref"},
    {"created_by_ref not an identifier", kIndicator, R"({"created_by_ref": "ACME"})",
     "reference-type", "$.created_by_ref"},
    {"object_marking_refs to an identity", kIndicator,
     R"({"object_marking_refs": ["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"]})",
     "reference-type", "$.object_marking_refs[0]"},
    {"granular marking_ref to an indicator", kIndicator,
     R"({"granular_markings": [{"marking_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "selectors": ["name"]}]})",
     "reference-type", "$.granular_markings[0].marking_ref"},
    {"relationship to an SRO", kRelationship,
     R"({"target_ref": "sighting--ee20065d-2555-424f-ad9e-0f8428623c75"})", "reference-type",
     "$.target_ref"},
    {"relationship from a marking definition", kRelationship,
     R"({"source_ref": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"})",
     "reference-type", "$.source_ref"},
    {"relationship to a bundle", kRelationship,
     R"({"target_ref": "bundle--ee20065d-2555-424f-ad9e-0f8428623c75"})", "reference-type",
     "$.target_ref"},
    {"sighting of an SCO", kSighting,
     R"({"sighting_of_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"})", "reference-type",
     "$.sighting_of_ref"},
    {"where_sighted_refs to a tool", kSighting,
     R"({"where_sighted_refs": ["tool--b67d30ff-02ac-498a-92f9-32f845f448ff"]})", "reference-type",
     "$.where_sighted_refs[0]"},
    {"observed_data_refs to an indicator", kSighting,
     R"({"observed_data_refs": ["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]})",
     "reference-type", "$.observed_data_refs[0]"},
    {"sample_refs to a process", kMalware,
     R"({"sample_refs": ["process--f52a906a-0dfc-40bd-92f1-e7778ead38a9"]})", "reference-type",
     "$.sample_refs[0]"},
    {"operating_system_refs not a list", kMalware,
     R"({"operating_system_refs": "software--710b0b41-d4d0-5d6c-a400-fc9254554ffc"})",
     "property-type", "$.operating_system_refs"},
    {"observed-data object_refs to an SDO", kObservedData,
     R"({"object_refs": ["indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]})", "reference-type",
     "$.object_refs[0]"},
    {"observed-data object_refs without an SCO", kObservedData,
     R"({"object_refs": ["relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e"]})", "reference-type",
     "$.object_refs"},
    {"network-traffic src_ref to a url", kNetworkTraffic,
     R"({"src_ref": "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55"})", "reference-type", "$.src_ref"},
    {"email from_ref to a user-account", kEmailMessage,
     R"({"from_ref": "user-account--f94d689e-707d-58c3-b803-c720bb6ed096"})", "reference-type",
     "$.from_ref"},
    {"archive-ext contains_refs to an ipv4-addr", kFile,
     R"({"extensions": {"archive-ext": {"contains_refs": ["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}}})",
     "reference-type", "$.extensions.archive-ext.contains_refs[0]"},
    {"reference with a bad UUID", kMalware,
     R"({"sample_refs": ["file--949eb97a-da1e-5292-8959-03c4249dc9f"]})", "reference-type",
     "$.sample_refs[0]"},

    // property-type, list-empty, dictionary-empty, enum, vocab
    {"revoked as a string", kIndicator, R"({"revoked": "true"})", "property-type", "$.revoked"},
    {"name as a number", kIndicator, R"({"name": 5})", "property-type", "$.name"},
    {"labels not a list", kIndicator, R"({"labels": "x"})", "property-type", "$.labels"},
    {"labels with a number", kIndicator, R"({"labels": ["x", 1]})", "property-type", "$.labels[1]"},
    {"confidence as a fraction", kIndicator, R"({"confidence": 50.5})", "property-type",
     "$.confidence"},
    {"number_observed as a string", kObservedData, R"({"number_observed": "50"})", "property-type",
     "$.number_observed"},
    {"latitude as a string", kLocation, R"({"latitude": "48.8"})", "property-type", "$.latitude"},
    {"kill_chain_phases of strings", kIndicator, R"({"kill_chain_phases": ["delivery"]})",
     "property-type", "$.kill_chain_phases[0]"},
    {"summary as a string", kSighting, R"({"summary": "false"})", "property-type", "$.summary"},
    {"empty labels", kIndicator, R"({"labels": []})", "list-empty", "$.labels"},
    {"empty external_references", kIndicator, R"({"external_references": []})", "list-empty",
     "$.external_references"},
    {"empty object_refs", kObservedData, R"({"object_refs": []})", "list-empty", "$.object_refs"},
    {"empty hashes", kIndicator,
     R"({"external_references": [{"source_name": "x", "url": "https://a.example", "hashes": {}}]})",
     "dictionary-empty", "$.external_references[0].hashes"},
    {"empty extensions", kFile, R"({"extensions": {}})", "dictionary-empty", "$.extensions"},
    {"empty additional_header_fields", kEmailMessage, R"({"additional_header_fields": {}})",
     "dictionary-empty", "$.additional_header_fields"},
    {"header field value not a list", kEmailMessage,
     R"({"additional_header_fields": {"X-Mailer": "Mutt"}})", "property-type",
     "$.additional_header_fields.X-Mailer"},
    {"dictionary key with a space", kProcess, R"({"environment_variables": {"MY VAR": "1"}})",
     "dictionary-key", "$.environment_variables['MY VAR']"},
    {"environment variable not a string", kProcess, R"({"environment_variables": {"HOME": 1}})",
     "property-type", "$.environment_variables.HOME"},
    {"socket option not an integer", kNetworkTraffic,
     R"({"extensions": {"socket-ext": {"address_family": "AF_INET", "options": {"SO_RCVTIMEO": "5"}}}})",
     "property-type", "$.extensions.socket-ext.options.SO_RCVTIMEO"},
    {"encryption_algorithm outside the enumeration", kArtifact,
     R"({"encryption_algorithm": "rot13"})", "enum", "$.encryption_algorithm"},
    {"address_family outside the enumeration", kNetworkTraffic,
     R"({"extensions": {"socket-ext": {"address_family": "AF_FOO"}}})", "enum",
     "$.extensions.socket-ext.address_family"},
    {"registry data_type outside the enumeration", kRegistryKey,
     R"({"values": [{"name": "a", "data_type": "REG_FOO"}]})", "enum", "$.values[0].data_type"},
    {"extension_types outside the enumeration", kExtensionDefinition,
     R"({"extension_types": ["new-smo"], "extension_properties": null})", "enum",
     "$.extension_types[0]"},
    {"indicator type outside the vocabulary", kIndicator, R"({"indicator_types": ["bad-stuff"]})",
     "vocab", "$.indicator_types[0]", W},
    {"region outside the vocabulary", kLocation, R"({"region": "Western Europe"})", "vocab",
     "$.region", W},
    {"pattern_type outside the vocabulary", kIndicator, R"({"pattern_type": "kql"})", "vocab",
     "$.pattern_type", W},
    {"account_type outside the vocabulary", kUserAccount, R"({"account_type": "mastodon"})",
     "vocab", "$.account_type", W},
    {"hash algorithm outside the vocabulary", kIndicator,
     R"({"external_references": [{"source_name": "x", "url": "https://a.example", "hashes": {"sha256": "ab"}}]})",
     "vocab", "$.external_references[0].hashes.sha256", W},

    // value formats
    {"confidence above 100", kIndicator, R"({"confidence": 101})", "value-range", "$.confidence"},
    {"number_observed 0", kObservedData, R"({"number_observed": 0})", "value-range",
     "$.number_observed"},
    {"count above 999,999,999", kSighting, R"({"count": 1000000000})", "value-range", "$.count"},
    {"port above 65535", kNetworkTraffic, R"({"dst_port": 65536})", "value-range", "$.dst_port"},
    {"negative file size", kFile, R"({"size": -1})", "value-range", "$.size"},
    {"integer beyond 2^53", kFile, R"({"size": 9007199254740993})", "value-range", "$.size"},
    {"latitude above 90", kLocation, R"({"latitude": 90.5})", "value-range", "$.latitude"},
    {"negative byte count (descriptive range)", kNetworkTraffic, R"({"src_byte_count": -5})",
     "value-range", "$.src_byte_count", W},
    {"hex with uppercase", kFile,
     R"({"extensions": {"windows-pebinary-ext": {"pe_type": "exe", "machine_hex": "014C"}}})",
     "hex-format", "$.extensions.windows-pebinary-ext.machine_hex"},
    {"hex of odd length", kFile, R"({"magic_number_hex": "fff"})", "hex-format",
     "$.magic_number_hex"},
    {"binary not base64", kArtifact, R"({"payload_bin": "not base64!"})", "binary-format",
     "$.payload_bin"},
    {"MD5 of the wrong length", kIndicator,
     R"({"external_references": [{"source_name": "x", "url": "https://a.example", "hashes": {"MD5": "abc"}}]})",
     "hash-format", "$.external_references[0].hashes.MD5"},
    {"SHA-256 with a non-hex character", kFile,
     R"({"hashes": {"SHA-256": "zb12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b6"}})",
     "hash-format", "$.hashes.SHA-256"},
    {"hash algorithm name too short", kFile, R"({"hashes": {"md": "ab"}})", "dictionary-key",
     "$.hashes.md"},
    {"lang not a language tag", kIndicator, R"({"lang": "english language"})", "language-tag",
     "$.lang"},
    {"language-content key not a language tag", kLanguageContent,
     R"({"contents": {"de_DE!": {"name": "x"}}})", "language-tag", "$.contents['de_DE!']"},
    {"ipv4 value not an address", kIpv4, R"({"value": "198.51.100.300"})", "value-format",
     "$.value"},
    {"ipv4 prefix too long", kIpv4, R"({"value": "198.51.100.0/33"})", "value-format", "$.value"},
    {"mac address with uppercase", kIpv4,
     R"({"type": "mac-addr", "id": "mac-addr--757b1725-9903-54f5-a855-1240691d7659", "value": "D2:FB:49:24:37:18"})",
     "value-format", "$.value"},
    {"url without a scheme", kIpv4,
     R"({"type": "url", "id": "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55", "value": "example.com/index.html"})",
     "value-format", "$.value"},
    {"email address with a display name", kIpv4,
     R"({"type": "email-addr", "id": "email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934", "value": "John <john@example.com>"})",
     "value-format", "$.value"},
    {"domain with an empty label", kIpv4,
     R"({"type": "domain-name", "id": "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "value": "example..com"})",
     "value-format", "$.value"},
    {"registry key with an abbreviated hive", kRegistryKey, R"({"key": "HKLM\\Software\\Foo"})",
     "value-format", "$.key"},
    {"relationship_type with uppercase", kRelationship, R"({"relationship_type": "Uses"})",
     "value-format", "$.relationship_type"},
    {"CAPEC id badly formatted", kAttackPattern,
     R"({"external_references": [{"source_name": "capec", "external_id": "163"}]})", "value-format",
     "$.external_references[0].external_id"},
    {"CVE id badly formatted", kVulnerability,
     R"({"external_references": [{"source_name": "cve", "external_id": "CVE-16-1"}]})",
     "value-format", "$.external_references[0].external_id"},

    // property-conflict
    {"artifact with payload_bin and url", kArtifact,
     R"({"url": "https://example.com/a.zip", "hashes": {"MD5": "3773a88f65a5e780c8dff9cdc3a056f3"}})",
     "property-conflict", "$"},
    {"decryption_key without encryption_algorithm", kArtifact, R"({"encryption_algorithm": null})",
     "property-conflict", "$.decryption_key"},
    {"observed-data with objects and object_refs", kObservedData,
     R"({"objects": {"0": {"type": "ipv4-addr", "value": "198.51.100.3"}}})", "property-conflict",
     "$"},
    {"granular marking with lang and marking_ref", kIndicator,
     R"({"granular_markings": [{"lang": "de", "marking_ref": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "selectors": ["name"]}]})",
     "property-conflict", "$.granular_markings[0]"},
    {"body with is_multipart true", kEmailMessage, R"({"body": "x"})", "property-conflict",
     "$.body"},
    {"body_multipart with is_multipart false", kEmailMessage, R"({"is_multipart": false})",
     "property-conflict", "$.body_multipart"},
    {"end with is_active true", kNetworkTraffic, R"({"end": "2016-01-02T00:00:00Z"})",
     "property-conflict", "$.end"},
    {"name_enc without name", kFile,
     R"({"name": null, "name_enc": "windows-1252", "hashes": {"MD5": "3773a88f65a5e780c8dff9cdc3a056f3"}})",
     "property-conflict", "$.name_enc"},

    // spec-version
    {"spec_version 2.0", kIndicator, R"({"spec_version": "2.0"})", "spec-version",
     "$.spec_version"},
    {"SCO spec_version 2.0", kIpv4, R"({"spec_version": "2.0"})", "spec-version", "$.spec_version"},
    {"spec_version as a number", kIndicator, R"({"spec_version": 2.1})", "property-type",
     "$.spec_version"},

    // extensions
    {"predefined extension of another type", kProcess,
     R"({"extensions": {"ntfs-ext": {"sid": "1"}}})", "extension", "$.extensions.ntfs-ext"},
    {"custom extension on an SDO", kIndicator, R"({"extensions": {"x-acme-ext": {"score": 1}}})",
     "extension", "$.extensions.x-acme-ext"},
    {"custom SCO extension not ending in -ext", kFile,
     R"({"extensions": {"x-acme-foo": {"score": 1}}})", "extension", "$.extensions.x-acme-foo"},
    {"custom SCO extension without x- prefix", kFile,
     R"({"extensions": {"acme-ext": {"score": 1}}})", "custom-extension-prefix",
     "$.extensions.acme-ext", W},
    {"extension-definition extension without extension_type", kIndicator,
     R"({"extensions": {"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e": {"rank": 5}}})",
     "extension", "$.extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e"},
    {"extension_type outside the enumeration", kIndicator,
     R"({"extensions": {"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e": {"extension_type": "sub-component", "rank": 5}}})",
     "enum",
     "$.extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e.extension_type"},
    {"extension content not an object", kIndicator,
     R"({"extensions": {"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e": "property-extension"}})",
     "property-type", "$.extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e"},
    {"extension key with a bad UUID", kIndicator,
     R"({"extensions": {"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6": {"extension_type": "property-extension", "rank": 5}}})",
     "extension", "$.extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6"},
    {"new-sdo extension on a specification type", kIndicator,
     R"({"extensions": {"extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62": {"extension_type": "new-sdo"}}})",
     "extension",
     "$.extensions.extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62.extension_type"},
    {"extension_properties without toplevel-property-extension", kExtensionDefinition,
     R"({"extension_types": ["property-extension"]})", "extension", "$.extension_properties"},
    {"TLP 2.0 level unknown", kMarkingTlp2,
     R"({"extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {"extension_type": "property-extension", "tlp_2_0": "yellow"}}})",
     "tlp-marking",
     "$.extensions.extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.tlp_2_0"},

    // markings
    {"TLP 1.0 level unknown", kMarkingTlp, R"({"definition": {"tlp": "clear"}})", "tlp-marking",
     "$.definition.tlp"},
    {"TLP 1.0 definition that is not the standard one", kMarkingTlp,
     R"({"id": "marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd"})", "tlp-marking",
     "$.definition.tlp"},
    {"TLP definition without tlp", kMarkingTlp, R"({"definition": {"level": "green"}})",
     "required-property", "$.definition"},
    {"statement definition without statement", kMarkingStatement,
     R"({"definition": {"text": "x"}})", "required-property", "$.definition"},
    {"marking definition marked with itself", kMarkingStatement,
     R"({"object_marking_refs": ["marking-definition--4a0042fe-8b88-40fe-9600-dfa128ce6fbd"]})",
     "circular-marking", "$.object_marking_refs[0]"},
    {"selector to an absent property", kIndicator,
     R"({"granular_markings": [{"marking_ref": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "selectors": ["valid_until"]}]})",
     "granular-marking", "$.granular_markings[0].selectors[0]"},
    {"selector index out of range", kIndicator,
     R"({"granular_markings": [{"marking_ref": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "selectors": ["labels.[1]"]}]})",
     "granular-marking", "$.granular_markings[0].selectors[0]"},
    {"selector indexing a string", kIndicator,
     R"({"granular_markings": [{"lang": "de", "selectors": ["description.[0]"]}]})",
     "granular-marking", "$.granular_markings[0].selectors[0]"},

    // not-applicable common properties, SCO ids, UUID versions, deprecation, prefixes
    {"defanged on an SDO", kIndicator, R"({"defanged": true})", "not-applicable-property",
     "$.defanged"},
    {"labels on an SCO", kIpv4, R"({"labels": ["x"]})", "not-applicable-property", "$.labels", W},
    {"modified on a marking definition", kMarkingStatement,
     R"({"modified": "2016-08-01T00:00:00.000Z"})", "not-applicable-property", "$.modified", W},
    {"SCO id not deterministic", kIpv4,
     R"({"id": "ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956"})", "sco-id-not-deterministic",
     "$", W},
    {"SCO without contributing properties and a UUIDv5", kProcess,
     R"({"id": "process--f52a906a-0dfc-50bd-92f1-e7778ead38a9"})", "uuid-version", "$"},
    {"versioned SCO with the default namespace", kIpv4,
     R"({"created": "2016-01-01T00:00:00.000Z", "modified": "2016-01-01T00:00:00.000Z"})",
     "sco-id-namespace", "$"},
    {"SDO with a UUIDv1", kIndicator,
     R"({"id": "indicator--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f"})", "uuid-version", "$", W},
    {"deprecated observable container", kObservedData,
     R"({"object_refs": null, "objects": {"0": {"type": "ipv4-addr", "value": "198.51.100.3"}}})",
     "deprecated-property", "$.objects", W},
    {"custom property without x_", kIndicator, R"({"acme_score": 5})", "custom-property-prefix",
     "$.acme_score", W},
    {"custom object type without x-", kCustomObject,
     R"({"type": "acme-thing", "id": "acme-thing--4527e5de-8572-446a-a57a-706f15467461"})",
     "custom-type-prefix", "$.type", W},
    {"kill chain name with uppercase", kIndicator,
     R"({"kill_chain_phases": [{"kill_chain_name": "Lockheed Martin", "phase_name": "delivery"}]})",
     "kill-chain-format", "$.kill_chain_phases[0].kill_chain_name", W},
};

TEST(Validate, EachRule) {
  for (const Case& c : kCases) {
    const std::string json = patched(c.base, c.patch);
    Outcome o = validate(json);
    ASSERT_TRUE(o.parsed) << c.name;
    EXPECT_TRUE(o.has(c.rule, c.path, c.severity))
        << c.name << ": expected " << c.rule << " at " << c.path << "\n"
        << json << o;
    if (c.severity == Severity::kError)
      EXPECT_FALSE(o.ok) << c.name;
    else
      EXPECT_TRUE(o.ok) << c.name << o;
  }
}

TEST(Validate, OpinionEnumeration) {
  constexpr const char* kOpinion = R"({
    "type": "opinion", "spec_version": "2.1", "id": "opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7",
    "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
    "object_refs": ["relationship--16d2358f-3b0d-4c88-b047-0da2f7ed4471"], "opinion": "strongly-disagree"
  })";
  EXPECT_TRUE(validate(kOpinion).issues.empty()) << validate(kOpinion);
  Outcome o = validate(patched(kOpinion, R"({"opinion": "strongly disagree"})"));
  EXPECT_TRUE(o.has("enum", "$.opinion", Severity::kError)) << o;
}

// Duplicate names are kept by simdjson's DOM; the validator finds them at every level.
TEST(Validate, DuplicateKeysAtEveryLevel) {
  struct Dup {
    const char* json;
    const char* path;
  };
  const Dup dups[] = {
      {R"({"type": "ipv4-addr", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "value": "198.51.100.3",
           "value": "198.51.100.4"})",
       "$.value"},
      {R"({"type": "ipv4-addr", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "value": "198.51.100.3",
           "x_a": 1, "x_a": 2})",
       "$.x_a"},
      {R"({"type": "ipv4-addr", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "value": "198.51.100.3",
           "x_a": {"list": [{"k": 1, "k": 2}]}})",
       "$.x_a.list[0].k"},
      {R"({"type": "file", "id": "file--4e1f0a7e-b7e3-5c3f-8ea3-7d2b1f8c6c11",
           "hashes": {"MD5": "3773a88f65a5e780c8dff9cdc3a056f3", "MD5": "3773a88f65a5e780c8dff9cdc3a056f4"}})",
       "$.hashes.MD5"},
      {R"({"type": "attack-pattern", "spec_version": "2.1", "id": "attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
           "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z", "name": "x",
           "kill_chain_phases": [{"kill_chain_name": "a-b", "phase_name": "c", "phase_name": "d"}]})",
       "$.kill_chain_phases[0].phase_name"},
      {R"({"type": "file", "id": "file--4e1f0a7e-b7e3-5c3f-8ea3-7d2b1f8c6c11", "name": "a",
           "extensions": {"x-acme-ext": {"score": 1, "score": 2}}})",
       "$.extensions.x-acme-ext.score"},
      {R"({"type": "process", "id": "process--f52a906a-0dfc-40bd-92f1-e7778ead38a9",
           "environment_variables": {"A": "1", "A": "2"}})",
       "$.environment_variables.A"},
  };
  for (const Dup& d : dups) {
    Outcome o = validate(d.json);
    ASSERT_TRUE(o.parsed) << d.json;
    EXPECT_TRUE(o.has("duplicate-key", d.path, Severity::kError)) << d.json << o;
    EXPECT_FALSE(o.ok);
  }
}

TEST(Validate, MessagesNameTheSpecification) {
  Outcome o = validate(patched(kIndicator, R"({"pattern_type": null})"));
  ASSERT_EQ(o.count(Severity::kError), 1u) << o;
  EXPECT_EQ(o.issues[0].message,
            "\"indicator\" requires property \"pattern_type\" (STIX 2.1 \xc2\xa7"
            "4.7.1)");
  o = validate(
      patched(kIndicator, R"({"created_by_ref": "tool--f431f809-377b-45e0-aa1c-6a4751cae5ff"})"));
  ASSERT_EQ(o.count(Severity::kError), 1u) << o;
  EXPECT_EQ(o.issues[0].message,
            "\"created_by_ref\" must reference identity, not \"tool\" (STIX 2.1 \xc2\xa7"
            "3.2)");
}

TEST(Validate, NotAnObjectTypeProceedsWithCommonChecks) {
  Outcome o = validate(R"({"type": 5, "id": "x"})");
  EXPECT_TRUE(o.has("property-type", "$.type", Severity::kError)) << o;
  EXPECT_TRUE(o.has("id-format", "$.id", Severity::kError)) << o;
}

TEST(ValidateFormats, Lexical) {
  using namespace detail;
  for (const char* ok :
       {"en", "de-CH", "zh-Hans-CN", "sr-Latn-RS", "x-klingon", "i-navajo", "en-US-x-twain"})
    EXPECT_TRUE(is_language_tag(ok)) << ok;
  for (const char* bad :
       {"", "e", "en_US", "en-", "-en", "english language", "x", "abcdefghi", "en-abcdefghi"})
    EXPECT_FALSE(is_language_tag(bad)) << bad;
  for (const char* ok : {"", "TWFu", "TWE=", "TQ==", "UEsDBBQAAAAIAA=="})
    EXPECT_TRUE(is_base64(ok)) << ok;
  for (const char* bad : {"TWF", "TW=u", "T===", "TWFu\n", "TWF*"})
    EXPECT_FALSE(is_base64(bad)) << bad;
  EXPECT_TRUE(is_hex("00ff"));
  EXPECT_FALSE(is_hex("00FF"));
  EXPECT_FALSE(is_hex("0"));
  bool known = false;
  EXPECT_TRUE(hash_value_ok("MD5", "3773A88F65A5E780C8DFF9CDC3A056F3", known));
  EXPECT_TRUE(known);
  EXPECT_TRUE(hash_value_ok(
      "SSDEEP",
      "96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrJzrhZGQd8wqWXLcdD",
      known));
  EXPECT_FALSE(hash_value_ok("SSDEEP", "96 abc", known));
  EXPECT_TRUE(hash_value_ok("TLSH", "T1" + std::string(70, 'a'), known));
  EXPECT_FALSE(hash_value_ok("TLSH", std::string(69, 'a'), known));
  EXPECT_TRUE(hash_value_ok("x_foo_hash", "anything", known));
  EXPECT_FALSE(known);
  for (const char* ok : {"198.51.100.3", "198.51.100.0/24", "0.0.0.0/0"})
    EXPECT_TRUE(is_ipv4_cidr(ok)) << ok;
  for (const char* bad :
       {"198.51.100", "198.51.100.256", "198.51.100.3/", "198.51.100.3/33", "::1"})
    EXPECT_FALSE(is_ipv4_cidr(bad)) << bad;
  for (const char* ok :
       {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8::/96", "::1", "::ffff:198.51.100.3"})
    EXPECT_TRUE(is_ipv6_cidr(ok)) << ok;
  for (const char* bad : {"2001:db8:::1", "2001:db8::/129", "198.51.100.3", "fe80::1%eth0"})
    EXPECT_FALSE(is_ipv6_cidr(bad)) << bad;
  for (const char* ok :
       {"example.com", "example.com.", "_dmarc.example.com", "xn--bcher-kva.example",
        "b\xc3\xbc"
        "cher.de"})
    EXPECT_TRUE(is_domain_name(ok)) << ok;
  const std::string long_label(64, 'a');
  for (const char* bad :
       {"", ".", "a..b", "exa mple.com", "http://example.com", long_label.c_str()})
    EXPECT_FALSE(is_domain_name(bad)) << bad;
  EXPECT_TRUE(is_cpe23("cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*"));
  EXPECT_TRUE(is_cpe23("cpe:2.3:a:acme:foo\\:bar:1.0:*:*:*:*:*:*:*"));
  EXPECT_FALSE(is_cpe23("cpe:/a:microsoft:word:2000"));
  EXPECT_TRUE(is_abbreviated_hive("hklm\\Software"));
  EXPECT_FALSE(is_abbreviated_hive("HKEY_LOCAL_MACHINE\\Software"));
  EXPECT_FALSE(type_name_problem("x-mitre-tactic"));
  EXPECT_TRUE(type_name_problem("x--mitre"));
  EXPECT_TRUE(is_property_name("x_mitre_version"));
  EXPECT_FALSE(is_property_name("_x_mitre"));
  EXPECT_TRUE(is_dictionary_key("Content-Type"));
  EXPECT_FALSE(is_dictionary_key("Content Type"));
  core::Uuid u;
  EXPECT_TRUE(parse_rfc4122_uuid("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", u));
  EXPECT_FALSE(parse_rfc4122_uuid("8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f", u));  // variant 110
  EXPECT_FALSE(parse_rfc4122_uuid("8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f", u));  // version 0
  EXPECT_FALSE(parse_rfc4122_uuid("8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0", u));
}

// ---------------------------------------------------------------------------------------------
// SCO deterministic ids (§2.9, §3.4). Expected values: the specification's examples whose ids are
// UUIDv5 of the contributing properties, and ids computed independently with Python's uuid module
// (uuid5(namespace, json.dumps(props, sort_keys=True, separators=(",", ":"), ensure_ascii=False))).

TEST(ScoDeterministicId, SpecificationExamples) {
  struct Example {
    const char* json;
    const char* id;
  };
  const Example examples[] = {
      {R"({"type": "ipv4-addr", "value": "198.51.100.3"})",
       "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"},
      {R"({"type": "ipv4-addr", "value": "198.51.100.0/24"})",
       "ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a"},
      {R"({"type": "ipv6-addr", "value": "2001:0db8::/96"})",
       "ipv6-addr--084d3b4c-7785-568a-a569-0c61c95754ab"},
      {R"({"type": "domain-name", "value": "example.com"})",
       "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"},
      {R"({"type": "email-addr", "value": "john@example.com", "display_name": "John Doe"})",
       "email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934"},
      {R"({"type": "mac-addr", "value": "d2:fb:49:24:37:18"})",
       "mac-addr--757b1725-9903-54f5-a855-1240691d7659"},
      {R"({"type": "mutex", "name": "__CLEANSWEEP__"})",
       "mutex--f93fe911-e545-5239-b9b0-597840d0c871"},
      {R"({"type": "url", "value": "https://example.com/research/index.html"})",
       "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55"},
      {R"({"type": "directory", "path": "C:\\Windows\\System32"})",
       "directory--0a58d0c1-59e6-5afd-8252-dcd3f13e5622"},
      {R"({"type": "autonomous-system", "number": 15139, "name": "Slime Industries", "rir": "ARIN"})",
       "autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff"},
      {R"({"type": "artifact", "mime_type": "image/jpeg", "payload_bin": "VBORw0KGgoAAAANSUhEUgAAADI== ..."})",
       "artifact--a785c567-cc53-52a1-abeb-026bb7ddf8ba"},
      {R"({"type": "file", "hashes": {"SHA-256": "fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db"},
           "size": 25536, "name": "foo.dll"})",
       "file--949eb97a-da1e-5292-8959-03c4249dc9f3"},
      {"{\"type\": \"file\", \"hashes\": {\"SHA-256\": "
       "\"841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649\"}, \"name\": "
       "\"qu\xc3\xaary.dll\", "
       "\"name_enc\": \"windows-1252\"}",
       "file--7d1e3a18-89e7-5bc5-be36-9879f5b7f5c8"},
      {R"({"type": "file", "name": "example.pdf", "extensions": {"pdf-ext": {"version": "1.7",
           "document_info_dict": {"Title": "Sample document", "Author": "Adobe Systems Incorporated",
           "Creator": "Adobe FrameMaker 5.5.3 for Power Macintosh", "Producer": "Acrobat Distiller 3.01 for Power Macintosh",
           "CreationDate": "20070412090123-02"}, "pdfid0": "DFCE52BD827ECF765649852119D", "pdfid1": "57A1E0F9ED2AE523E313C"}}})",
       "file--965aa96f-d90a-506a-8317-d38d44b235f9"},
      {R"({"type": "software", "name": "Word", "cpe": "cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*",
           "version": "2002", "vendor": "Microsoft"})",
       "software--710b0b41-d4d0-5d6c-a400-fc9254554ffc"},
      {R"({"type": "user-account", "user_id": "1001", "account_login": "jdoe", "account_type": "unix",
           "display_name": "John Doe", "is_service_account": false})",
       "user-account--f94d689e-707d-58c3-b803-c720bb6ed096"},
      {R"({"type": "windows-registry-key", "key": "hkey_local_machine\\system\\bar\\foo",
           "values": [{"name": "Foo", "data": "qwerty", "data_type": "REG_SZ"},
                      {"name": "Bar", "data": "42", "data_type": "REG_DWORD"}]})",
       "windows-registry-key--f6a11ddf-fa2b-54c8-97ab-e7f28413095a"},
  };
  for (const Example& e : examples) EXPECT_EQ(det_id(e.json), e.id) << e.json;
}

TEST(ScoDeterministicId, ComputedIndependently) {
  struct Example {
    const char* json;
    const char* id;
  };
  const Example examples[] = {
      // refs, ports, protocols and a timestamp; is_active does not contribute
      {R"({"type": "network-traffic", "src_ref": "ipv4-addr--9cf4a8ec-7640-5f40-a006-79942896168b",
           "dst_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "src_port": 2487, "dst_port": 1723,
           "protocols": ["ipv4", "tcp"], "start": "2016-01-01T00:00:00.000Z", "is_active": true})",
       "network-traffic--760ac29e-2790-533a-b65a-e30ae802f89c"},
      // MD5 is preferred to SHA-256 whatever the order
      {R"({"type": "file", "hashes": {"SHA-256": "fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db",
           "MD5": "3773a88f65a5e780c8dff9cdc3a056f3"}, "size": 25536})",
       "file--58b737df-921c-51f4-a2ec-a0f68ea8b3d3"},
      // none of the preferred hashes: the first one given
      {R"({"type": "file", "hashes": {"SHA3-256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
           "TLSH": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}})",
       "file--651db0e1-e879-5ea4-bd36-876aff898bb3"},
      // SHA-1 before SHA-512
      {R"({"type": "artifact", "hashes": {"SHA-512": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
           "SHA-1": "dddddddddddddddddddddddddddddddddddddddd"}, "url": "https://example.com/a.bin"})",
       "artifact--5d904c52-c718-587e-81c7-bed3b5f50183"},
      // RFC 8785 string escaping: quotes, newline, tab, U+0007, non-ASCII, a surrogate pair
      {R"({"type": "email-message", "is_multipart": false, "from_ref": "email-addr--6deb37bd-12b7-54ae-805f-5f7146f3d171",
           "subject": "Saying \"Hello\"\n\u00e9\u0007 \ud83d\ude00", "body": "x\ty"})",
       "email-message--30d55bcb-2081-5aff-aa75-97a690b4126f"},
      {R"({"type": "x509-certificate", "serial_number": "36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06"})",
       "x509-certificate--bf86f034-2390-54d7-8426-d08433db3fbe"},
      {R"({"type": "url", "value": "https://example.com/a?b=\"c\"&d=\\e"})",
       "url--efdd2040-a58a-5ec2-a2d9-7cfd05aed587"},
      {R"({"type": "user-account", "user_id": "1001"})",
       "user-account--6c60cab0-c5a6-54cf-be81-94eff8deeb9e"},
      // a double and a non-ASCII name take the boost::json path; the rest the direct one
      {"{\"type\": \"file\", \"name\": \"a.exe\", \"extensions\": {\"x-acme-ext\": "
       "{\"cl\xc3\xa9\": \"v\", "
       "\"score\": 1.5, \"b\": [1, -2, true, null]}}}",
       "file--f9798d62-f930-542c-bd53-7ba1bfee9452"},
      {R"({"type": "autonomous-system", "number": 4294967295})",
       "autonomous-system--832cf849-1b9d-5272-8422-c9ed808c1e9a"},
  };
  for (const Example& e : examples) EXPECT_EQ(det_id(e.json), e.id) << e.json;
}

TEST(ScoDeterministicId, NoneWhereTheSpecificationGivesNone) {
  EXPECT_EQ(det_id(R"({"type": "process", "pid": 1})"), std::nullopt);  // always UUIDv4
  EXPECT_EQ(det_id(R"({"type": "file", "size": 1})"), std::nullopt);    // no contributing property
  EXPECT_EQ(det_id(R"({"type": "indicator", "name": "x"})"), std::nullopt);  // not an SCO
  EXPECT_EQ(det_id(R"({"type": "x-acme-thing", "value": "x"})"),
            std::nullopt);                               // not a specification SCO
  EXPECT_EQ(det_id(R"({"value": "x"})"), std::nullopt);  // no type
}

// ---------------------------------------------------------------------------------------------
// The specification's own examples (tests/stix/data/validate/spec_examples.json, extracted from
// every JSON example of the specification that parses and holds whole objects). The handful that
// break a MUST of the specification itself are pinned here.

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using Finding = std::tuple<std::string, std::string, std::string>;  // (where, object id, rule)

TEST(Validate, SpecificationExamples) {
  const fs::path file = fs::path(SW_SOURCE_DIR) / "tests/stix/data/validate/spec_examples.json";
  const std::string text = read_file(file);
  ASSERT_FALSE(text.empty()) << file;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::array examples;
  ASSERT_EQ(parser.parse(padded).get_array().get(examples), simdjson::SUCCESS);
  std::set<Finding> found;
  size_t n = 0;
  std::set<std::string> types;
  for (simdjson::dom::element e : examples) {
    std::string_view sec, id, type;
    simdjson::dom::object obj;
    ASSERT_EQ(e["section"].get_string().get(sec), simdjson::SUCCESS);
    ASSERT_EQ(e["object"].get_object().get(obj), simdjson::SUCCESS);
    if (obj["id"].get_string().get(id) != simdjson::SUCCESS) id = "(no id)";
    if (obj["type"].get_string().get(type) == simdjson::SUCCESS) types.emplace(type);
    std::vector<Issue> issues;
    validate_object(obj, issues);
    for (const Issue& i : issues)
      if (i.severity == Severity::kError) found.emplace(std::string(sec), std::string(id), i.rule);
    ++n;
  }
  EXPECT_EQ(n, 155u);
  // Each is a defect of the example, not of the validator:
  const std::set<Finding> expected = {
      // "file-1389…": one hyphen; identifiers are "<type>--<UUID>" (§2.9)
      {"3.9.1", "file-1389b98d-a3d3-5190-a996-716fd444059a", "id-format"},
      // no pattern_type, required since 2.1 (§4.7.1)
      {"4.16.2", "indicator--26ffb872-1dd9-446e-b6f5-d58527e5b5d2", "required-property"},
      // payload_bin elided as "…== ...", not base64 (§2.1)
      {"6.1.1", "artifact--6be1fbcb-fd03-5ec3-b05f-4329746e9d2b", "binary-format"},
      {"6.1.1", "artifact--a785c567-cc53-52a1-abeb-026bb7ddf8ba", "binary-format"},
      {"C.2.2", "artifact--6be1fbcb-fd03-5ec3-b05f-4329746e9d2b", "binary-format"},
      // no pattern_type and no valid_from (§4.7.1)
      {"8.2", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "required-property"},
      // a patterning illustration without spec_version, created, modified (§4.14.1)
      {"9.5", "observed-data--0960319a-3cab-4258-a143-4dbb25525bb1", "required-property"},
      // extension_type "property_extension" is not in extension-type-enum (§10.5)
      {"C.2.4", "marking-definition--7adc34dc-f5c7-4b7c-a7da-28fc4dd716cc", "enum"},
  };
  EXPECT_EQ(found, expected) << [&] {
    std::string s;
    for (const auto& [sec, id, rule] : found)
      s += "\n  {\"" + sec + "\", \"" + id + "\", \"" + rule + "\"},";
    return s;
  }();
}

// ---------------------------------------------------------------------------------------------
// Real data: every object of every .json file under <shared data>/stix21. Where a file breaks a
// MUST of the specification the rejection names the rule and is pinned here; everything else is
// valid STIX 2.1 and must pass without errors.

fs::path shared_data() {
  if (const char* env = std::getenv("SW_SHARED_DATA"); env && *env) return env;
  return SW_SHARED_DATA_DEFAULT;
}

struct Corpus {
  std::vector<std::string> files;  // relative to stix21/
  std::vector<std::string> texts;
};

Corpus load_corpus() {
  Corpus c;
  const fs::path root = shared_data() / "stix21";
  if (!fs::exists(root)) return c;
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    c.files.push_back(fs::relative(p, root).generic_string());
    c.texts.push_back(read_file(p));
  }
  return c;
}

// Calls fn(file index, object) for every object: a bundle's objects, or a file's single object.
template <class Fn>
size_t for_each_object(const Corpus& c, simdjson::dom::parser& parser,
                       std::vector<simdjson::padded_string>& padded, Fn&& fn) {
  size_t n = 0;
  if (padded.empty())
    for (const std::string& t : c.texts) padded.emplace_back(t);
  for (size_t f = 0; f < c.files.size(); ++f) {
    simdjson::dom::object doc;
    if (parser.parse(padded[f]).get_object().get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << c.files[f] << " is not a JSON object";
      continue;
    }
    std::string_view type;
    simdjson::dom::array objects;
    if (doc["type"].get_string().get(type) == simdjson::SUCCESS && type == "bundle" &&
        doc["objects"].get_array().get(objects) == simdjson::SUCCESS) {
      for (simdjson::dom::element o : objects) {
        simdjson::dom::object obj;
        if (o.get_object().get(obj) != simdjson::SUCCESS) {
          ADD_FAILURE() << c.files[f] << ": a bundle member is not an object";
          continue;
        }
        fn(f, obj);
        ++n;
      }
    } else {
      fn(f, doc);
      ++n;
    }
  }
  return n;
}

TEST(Validate, SharedRealData) {
  const Corpus corpus = load_corpus();
  if (corpus.files.empty()) GTEST_SKIP() << "no shared data at " << shared_data();
  simdjson::dom::parser parser;
  std::vector<simdjson::padded_string> padded;
  std::set<Finding> found;
  std::map<std::string, size_t> warnings;
  std::vector<Issue> issues;
  const size_t n =
      for_each_object(corpus, parser, padded, [&](size_t f, simdjson::dom::object obj) {
        issues.clear();
        validate_object(obj, issues);
        std::string_view id;
        if (obj["id"].get_string().get(id) != simdjson::SUCCESS) id = "(no id)";
        for (const Issue& i : issues) {
          if (i.severity == Severity::kError)
            found.emplace(corpus.files[f], std::string(id), i.rule);
          else
            ++warnings[i.rule];
        }
      });
  EXPECT_EQ(n, 6788u);
  const std::set<Finding> expected = {
      // A STIX 2.0 object in python-stix2's v21 test tree (its bundle says "spec_version": "2.0"):
      // no spec_version, which every 2.1 SDO requires (§3.2, §4.11.1).
      {"oasis-cti-python-stix2/stix2/test/v21/stix2_data/malware/"
       "malware--b42378e0-f147-496f-992a-26a49705395b/"
       "20170531213215263882.json",
       "malware--b42378e0-f147-496f-992a-26a49705395b", "required-property"},
      // "created": "2017-06-01T00:00:00Z": the minimum precision of created MUST be milliseconds
      // (§3.2). ATT&CK's own copy of this marking (2017-06-01T00:00:00.000Z) is fine.
      {"oasis-cti-python-stix2/stix2/test/v21/stix2_data/marking-definition/"
       "marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168.json",
       "marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168", "timestamp-precision"},
  };
  EXPECT_EQ(found, expected) << [&] {
    std::string s;
    for (const auto& [file, id, rule] : found)
      s += "\n  {\"" + file + "\", \"" + id + "\", \"" + rule + "\"},";
    return s;
  }();
  for (const auto& [rule, count] : warnings)
    std::printf("  warning %-28s %zu\n", rule.c_str(), count);
}

}  // namespace
}  // namespace sw::stix
