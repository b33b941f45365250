// The PDF syntax the boards PDF update relies on: references renumbered only where they
// are references (not inside strings or comments), dictionary values found at the
// outermost level only, and a cross-reference table read back with its trailer.

#include "report/pdf_syntax.h"

#include <gtest/gtest.h>

#include "report/pdf_xref.h"

namespace storyreel::report::pdf {
namespace {

TEST(PdfSyntax, RenumbersReferencesButNotTextThatLooksLikeThem) {
    const std::string object =
        "\n<< /Type /Page % 1 0 R in a comment\n   /Parent 1 0 R /Title (see 2 0 R \\) (x)) "
        "/Hex <3120302052> /Kids [ 3 0 R 10 0 R ] /Widths [ 317 0 0 ] >>\nstream\n4 0 R";
    const auto renumbered =
        renumber_references(object, [](int number) -> std::optional<int> { return number + 100; });
    ASSERT_TRUE(renumbered);
    EXPECT_EQ(*renumbered,
              "\n<< /Type /Page % 1 0 R in a comment\n   /Parent 101 0 R /Title (see 2 0 R \\) "
              "(x)) /Hex <3120302052> /Kids [ 103 0 R 110 0 R ] /Widths [ 317 0 0 ] >>\nstream\n"
              "4 0 R")
        << "stream data is copied as it is";
    EXPECT_FALSE(renumber_references("<< /P 7 0 R >>", [](int) -> std::optional<int> {
        return std::nullopt;
    })) << "a reference the caller does not allow";
}

TEST(PdfSyntax, FindsValuesOfTheOutermostDictionaryOnly) {
    const auto tokens = tokenize(
        "<< /Type /Pages /Inner << /Count 99 >> /Kids [ 2 0 R 7 0 R ] /Count 2 /Root 9 0 R >>");
    ASSERT_TRUE(tokens);
    EXPECT_EQ(dictionary_integer(*tokens, "/Count"), 2);
    EXPECT_EQ(dictionary_name(*tokens, "/Type"), "/Pages");
    EXPECT_EQ(dictionary_reference(*tokens, "/Root")->number, 9);
    const auto kids = dictionary_reference_array(*tokens, "/Kids");
    ASSERT_TRUE(kids);
    ASSERT_EQ(kids->size(), 2u);
    EXPECT_EQ((*kids)[1].number, 7);
    EXPECT_FALSE(dictionary_integer(*tokens, "/Root")) << "a reference is not an integer";
    EXPECT_FALSE(tokenize("<< /T (unclosed >>")) << "a string left open";
}

TEST(PdfSyntax, ReadsTheCrossReferenceTablesAndPageTreeOfAnUpdatedFile) {
    // A two-page file, then an update redefining its page tree (object 1) with page 5.
    std::string pdf = "%PDF-1.5\n";
    auto entry = [](std::size_t at) {
        std::string text = std::to_string(at);
        return std::string(10 - text.size(), '0') + text + " 00000 n \n";
    };
    std::vector<std::size_t> at(6, 0);
    auto object = [&](int number, const std::string& body) {
        at[static_cast<std::size_t>(number)] = pdf.size();
        pdf += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    };
    object(1, "<< /Type /Pages /Kids [ 2 0 R 3 0 R ] /Count 2 >>");
    object(2, "<< /Type /Page /Parent 1 0 R >>");
    object(3, "<< /Type /Page /Parent 1 0 R >>");
    object(4, "<< /Type /Catalog /Pages 1 0 R >>");
    const std::size_t first_table = pdf.size();
    pdf += "xref\n0 5\n0000000000 65535 f \n" + entry(at[1]) + entry(at[2]) + entry(at[3]) +
           entry(at[4]) + "trailer\n<< /Size 5 /Root 4 0 R >>\nstartxref\n" +
           std::to_string(first_table) + "\n%%EOF\n";
    object(5, "<< /Type /Page /Parent 1 0 R >>");
    object(1, "<< /Type /Pages /Kids [ 2 0 R 5 0 R ] /Count 2 >>");
    const std::size_t second_table = pdf.size();
    pdf += "xref\n1 1\n" + entry(at[1]) + "5 1\n" + entry(at[5]) +
           "trailer\n<< /Size 6 /Root 4 0 R /Prev " + std::to_string(first_table) +
           " >>\nstartxref\n" + std::to_string(second_table) + "\n%%EOF\n";

    const MemorySource source(pdf);
    std::string why_not;
    const auto xref = read_cross_reference(source, why_not);
    ASSERT_TRUE(xref) << why_not;
    EXPECT_EQ(xref->size, 6);
    EXPECT_EQ(xref->root.number, 4);
    EXPECT_EQ(xref->startxref, second_table);
    EXPECT_EQ(xref->offsets.at(1), at[1]) << "the update's page tree, not the first one";
    const auto tree = read_page_tree(source, *xref, why_not);
    ASSERT_TRUE(tree) << why_not;
    EXPECT_EQ(tree->kids, (std::vector<int>{2, 5}));

    const MemorySource truncated(std::string_view(pdf).substr(0, pdf.size() - 7));
    EXPECT_FALSE(read_cross_reference(truncated, why_not)) << "no %%EOF at its end";
}

}  // namespace
}  // namespace storyreel::report::pdf
