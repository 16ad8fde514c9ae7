// The TLP (and PAP) an import records for each object (meta.tlp / meta.pap in the store): TLP 2.0
// and TLP 1.0 marking ids, OpenCTI-style custom marking definitions earlier in the file, MISP-style
// labels, granular markings, the most restrictive level winning, and marking definitions learned
// from the store (intel::learn_stored_markings).
#include <gtest/gtest.h>

#include "import_test_util.h"
#include "store/memory/memory_store.h"

namespace sw::intel {
namespace {

using stix::Pap;
using stix::Tlp;
using testing::bundle;
using testing::Harness;
using testing::indicator;
using testing::indicator_id;

// TLP 2.0 (OASIS TLP 2.0 extension) and TLP 1.0 (STIX 2.1 §7.2.1.4) marking-definition ids,
// written out here rather than taken from stix/markings.h.
const std::string kTlp2Clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const std::string kTlp2Green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const std::string kTlp2Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
const std::string kTlp2AmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
const std::string kTlp2Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
const std::string kTlp1White = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
const std::string kTlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
const std::string kTlp1Amber = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
const std::string kTlp1Red = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

// OpenCTI writes its TLP markings as custom marking definitions with their own ids.
const std::string kOctiAmber = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";
const std::string kOctiAmberStrict = "marking-definition--7a5c3a2e-5a5e-4f1a-9c1b-0e7d3f2c1a01";
const std::string kOctiPapGreen = "marking-definition--0c3b2d7e-8f1a-4b6c-9d2e-5a4f3e2d1c02";

std::string opencti_marking(const std::string& id, const std::string& type,
                            const std::string& name) {
  return R"({"type":"marking-definition","spec_version":"2.1","id":")" + id +
         R"(","created":"2022-01-01T00:00:00.000Z","definition_type":")" + type + R"(","name":")" +
         name + R"(","definition":{")" + type + R"(":")" + name +
         R"("},"x_opencti_order":3,"x_opencti_color":"#d84315"})";
}

std::string refs(const std::vector<std::string>& ids) {
  std::string s = R"(,"object_marking_refs":[)";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? ",\"" : "\"") + ids[i] + "\"";
  return s + "]";
}

class Markings : public ::testing::Test {
 protected:
  Markings() : h_(store_) {}

  void import(const std::vector<std::string>& objects) {
    ImportSummary s;
    ASSERT_TRUE(h_.import(bundle(objects), {}, s).ok());
    ASSERT_EQ(s.rejected, 0) << (s.findings.empty() ? "" : s.findings[0].to_string());
  }
  stix::ObjectMeta meta(int n) { return meta(indicator_id(n)); }
  stix::ObjectMeta meta(const std::string& id) {
    auto r = store_.get(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << id;
    return r.ok() && r->has_value() ? (*r)->meta : stix::ObjectMeta{};
  }

  store::MemoryStore store_;
  Harness h_;
};

TEST_F(Markings, Tlp2MarkingIds) {
  import({indicator(1, refs({kTlp2Clear})), indicator(2, refs({kTlp2Green})),
          indicator(3, refs({kTlp2Amber})), indicator(4, refs({kTlp2AmberStrict})),
          indicator(5, refs({kTlp2Red})), indicator(6)});
  EXPECT_EQ(meta(1).tlp, Tlp::kClear);
  EXPECT_EQ(meta(2).tlp, Tlp::kGreen);
  EXPECT_EQ(meta(3).tlp, Tlp::kAmber);
  EXPECT_EQ(meta(4).tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta(5).tlp, Tlp::kRed);
  EXPECT_EQ(meta(6).tlp, Tlp::kNone) << "no marking: the policy applies the node default";
}

TEST_F(Markings, Tlp1MarkingIdsWithWhiteReadAsClear) {
  import({indicator(1, refs({kTlp1White})), indicator(2, refs({kTlp1Green})),
          indicator(3, refs({kTlp1Amber})), indicator(4, refs({kTlp1Red}))});
  EXPECT_EQ(meta(1).tlp, Tlp::kClear);
  EXPECT_EQ(meta(2).tlp, Tlp::kGreen);
  EXPECT_EQ(meta(3).tlp, Tlp::kAmber);
  EXPECT_EQ(meta(4).tlp, Tlp::kRed);
}

TEST_F(Markings, TheMostRestrictiveLevelWins) {
  import({
      indicator(1, refs({kTlp2Green, kTlp1Red})),
      indicator(2, refs({kTlp2AmberStrict, kTlp2Clear, kTlp1Amber})),
      indicator(3, refs({kTlp2Green}) + R"(,"labels":["tlp:red"])"),
      // A granular RED marking makes the object hold RED content.
      indicator(4, refs({kTlp2Green}) + R"(,"granular_markings":[{"marking_ref":")" + kTlp2Red +
                       R"(","selectors":["description"]}],"description":"secret")"),
      indicator(5, refs({kTlp2Red}) + R"(,"labels":["tlp:clear"])"),
  });
  EXPECT_EQ(meta(1).tlp, Tlp::kRed);
  EXPECT_EQ(meta(2).tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta(3).tlp, Tlp::kRed);
  EXPECT_EQ(meta(4).tlp, Tlp::kRed);
  EXPECT_EQ(meta(5).tlp, Tlp::kRed) << "a label cannot lower a marking";
}

TEST_F(Markings, OpenCtiCustomMarkingDefinedEarlierInTheFile) {
  import({
      opencti_marking(kOctiAmber, "TLP", "TLP:AMBER"),
      opencti_marking(kOctiAmberStrict, "TLP", "TLP:AMBER+STRICT"),
      opencti_marking(kOctiPapGreen, "PAP", "PAP:GREEN"),
      indicator(1, refs({kOctiAmber})),
      indicator(2, refs({kOctiAmberStrict})),
      indicator(3, refs({kOctiAmber, kOctiPapGreen})),
      indicator(4, refs({kOctiAmber, kTlp2Red})),
  });
  EXPECT_EQ(meta(1).tlp, Tlp::kAmber);
  EXPECT_EQ(meta(2).tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta(3).tlp, Tlp::kAmber);
  EXPECT_EQ(meta(3).pap, Pap::kGreen);
  EXPECT_EQ(meta(4).tlp, Tlp::kRed);
  EXPECT_EQ(meta(kOctiAmber).tlp, Tlp::kNone) << "the definition itself is not marked";
}

TEST_F(Markings, ACustomMarkingDefinedLaterInTheFileIsNotKnownYet) {
  // docs/import.md: a custom marking definition is recognised when it is already stored or comes
  // earlier in the same file.
  import({indicator(1, refs({kOctiAmber})), opencti_marking(kOctiAmber, "TLP", "TLP:AMBER"),
          indicator(2, refs({kOctiAmber}))});
  EXPECT_EQ(meta(1).tlp, Tlp::kNone);
  EXPECT_EQ(meta(2).tlp, Tlp::kAmber);
}

TEST_F(Markings, MispStyleLabels) {
  import({indicator(1, R"(,"labels":["tlp:red"])"),
          indicator(2, R"(,"labels":["TLP:AMBER+STRICT","malicious"])"),
          indicator(3, R"(,"labels":["tlp:white"])"),
          indicator(4, R"(,"labels":["tlp:\"green\""])"),
          indicator(5, R"(,"labels":["pap:amber"])"),
          indicator(6, R"(,"labels":["tlp:purple","tlp"])")});
  EXPECT_EQ(meta(1).tlp, Tlp::kRed);
  EXPECT_EQ(meta(2).tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta(3).tlp, Tlp::kClear);
  EXPECT_EQ(meta(4).tlp, Tlp::kGreen);
  EXPECT_EQ(meta(5).tlp, Tlp::kNone);
  EXPECT_EQ(meta(5).pap, Pap::kAmber);
  EXPECT_EQ(meta(6).tlp, Tlp::kNone);
}

TEST(LearnStoredMarkings, MarkingDefinitionsInTheStoreAreKnownToALaterImport) {
  store::MemoryStore st;
  {
    Harness first(st);
    ImportSummary s;
    ASSERT_TRUE(first
                    .import(bundle({opencti_marking(kOctiAmber, "TLP", "TLP:AMBER"),
                                    opencti_marking(kOctiPapGreen, "PAP", "PAP:GREEN")}),
                            {}, s)
                    .ok());
    ASSERT_EQ(s.new_objects, 2);
  }
  auto tlp_of = [&](int n) {
    auto r = st.get(indicator_id(n));
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->meta : stix::ObjectMeta{};
  };

  // A new importer (a new process) that has not learned them does not know the custom id…
  Harness fresh(st);
  ImportSummary s;
  ASSERT_TRUE(fresh.import(bundle({indicator(1, refs({kOctiAmber}))}), {}, s).ok());
  EXPECT_EQ(tlp_of(1).tlp, Tlp::kNone);

  // …and one that learned the store's marking definitions does.
  Harness learned(st);
  ASSERT_TRUE(learn_stored_markings(st, learned.markings).ok());
  ASSERT_TRUE(
      learned.import(bundle({indicator(2, refs({kOctiAmber, kOctiPapGreen}))}), {}, s).ok());
  EXPECT_EQ(tlp_of(2).tlp, Tlp::kAmber);
  EXPECT_EQ(tlp_of(2).pap, Pap::kGreen);
  auto amber = learned.markings.lookup(kOctiAmber);
  ASSERT_TRUE(amber.has_value());
  EXPECT_EQ(amber->tlp, Tlp::kAmber);
  EXPECT_FALSE(learned.markings.lookup("marking-definition--00000000-0000-4000-8000-000000000000")
                   .has_value());
}

// A marking definition is immutable (it has no `modified`). A file that repeats a stored custom
// marking definition's id and `created` with other content is a duplicate — nothing is written —
// and must not change what that id means: objects marked with it keep the stored level. Otherwise
// any file could downgrade a stored TLP:RED marking to CLEAR for everything it imports.
TEST(MarkingsFromFiles, ADuplicateMarkingDefinitionCannotChangeAStoredLevel) {
  store::MemoryStore st;
  {
    Harness first(st);
    ImportSummary s;
    ASSERT_TRUE(first.import(bundle({opencti_marking(kOctiAmber, "TLP", "TLP:RED")}), {}, s).ok());
    ASSERT_EQ(s.new_objects, 1);
  }
  Harness h(st);
  ASSERT_TRUE(learn_stored_markings(st, h.markings).ok());
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle({opencti_marking(kOctiAmber, "TLP", "TLP:CLEAR"),
                               indicator(1, refs({kOctiAmber}))}),
                       {}, s)
                  .ok());
  EXPECT_EQ(s.duplicates, 1) << "same id and created: a duplicate";
  auto r = st.get(indicator_id(1));
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->meta.tlp, Tlp::kRed) << "the stored marking definition says RED";
}

// docs/import.md: a custom marking definition is recognised when it is already stored or comes
// earlier in the same file. One from a file that --strict refused is neither.
TEST(MarkingsFromFiles, AMarkingFromAFileThatStrictRefusedIsNotLearned) {
  store::MemoryStore st;
  Harness h(st);
  ImportOptions opt;
  opt.strict = true;
  ImportSummary s;
  ASSERT_TRUE(h.import(bundle({opencti_marking(kOctiAmber, "TLP", "TLP:CLEAR"),
                               indicator(1, R"(,"confidence":500)")}),
                       opt, s, "refused.json")
                  .ok());
  ASSERT_EQ(s.failed_files, 1);
  ASSERT_TRUE(h.import(bundle({indicator(2, refs({kOctiAmber}))}), opt, s, "next.json").ok());
  auto r = st.get(indicator_id(2));
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->meta.tlp, Tlp::kNone)
      << "TLP taken from a marking definition that was never stored";
}

}  // namespace
}  // namespace sw::intel
