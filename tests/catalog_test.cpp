#include "catalog/catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "catalog/song_id.hpp"
#include "util/error.hpp"

namespace playstream::catalog {
namespace {

constexpr std::string_view kHeader =
    "name,artists,duration_ms,album_name,album_release_date,danceability,energy,key,loudness,mode,"
    "speechiness,acousticness,instrumentalness,liveness,valence,tempo\n";

// One classroom row; `energy` is the 7th of its 16 fields.
std::string row(std::string_view name, std::string_view artists = "Artist", std::string_view energy = "0.5",
                std::string_view duration = "200000") {
    return fmt::format("{},{},{},Album,2020-01-01,0.6,{},5,-5.2,1,0.05,0.1,9.43E-06,0.12,0.4,120.5\n", name,
                       artists, duration, energy);
}

Catalog load(std::string_view text, LoadReport* report = nullptr, bool lenient = false) {
    return Catalog::from_text(text, "t.csv", LoadOptions{.lenient = lenient}, report);
}

// The message of the playstream::Error loading `text` throws, or "" if it loads.
std::string error_of(std::string_view text) {
    try {
        load(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Catalog, LoadsClassroomRows) {
    LoadReport report;
    const Catalog catalog = load(std::string(kHeader) +
                                     "\"Gravity, Gently\",\"Mira, Okonkwo\",215000,Low Orbit,2014,0.25,0.75,11,"
                                     "-12.5,0,0.03,0.9,1.5e-3,0.2,0.35,98.25\n" +
                                     row("Second"),
                                 &report);
    ASSERT_EQ(catalog.size(), 2U);
    EXPECT_EQ(report.rows, 2U);
    EXPECT_EQ(report.skipped, 0U);
    EXPECT_EQ(report.duplicates, 0U);
    const model::Song& song = catalog.songs()[0];
    EXPECT_EQ(song.name, "Gravity, Gently");
    EXPECT_EQ(song.artists, "Mira, Okonkwo");
    EXPECT_EQ(song.duration_ms, 215000);
    EXPECT_EQ(song.album_name, "Low Orbit");
    EXPECT_EQ(song.album_release_date, "2014");
    EXPECT_EQ(song.key, 11);
    EXPECT_FLOAT_EQ(song.features.danceability, 0.25F);
    EXPECT_FLOAT_EQ(song.features.energy, 0.75F);
    EXPECT_FLOAT_EQ(song.features.loudness, -12.5F);
    EXPECT_FLOAT_EQ(song.features.mode, 0.0F);
    EXPECT_FLOAT_EQ(song.features.speechiness, 0.03F);
    EXPECT_FLOAT_EQ(song.features.acousticness, 0.9F);
    EXPECT_FLOAT_EQ(song.features.instrumentalness, 0.0015F);
    EXPECT_FLOAT_EQ(song.features.liveness, 0.2F);
    EXPECT_FLOAT_EQ(song.features.valence, 0.35F);
    EXPECT_FLOAT_EQ(song.features.tempo, 98.25F);
    EXPECT_EQ(song.id, song_id(song));
    EXPECT_EQ(catalog.find(song.id), &song);
    const model::Song& second = catalog.songs()[1];
    EXPECT_FLOAT_EQ(second.features.instrumentalness, 9.43e-06F);
    EXPECT_FLOAT_EQ(second.features.loudness, -5.2F);
    EXPECT_FLOAT_EQ(second.features.mode, 1.0F);
    EXPECT_EQ(catalog.find(song.id + 1 == second.id ? song.id + 2 : song.id + 1), nullptr);
}

TEST(Catalog, LoadsTidyTuesdayHeaderWithExtraColumns) {
    const std::string text =
        "track_name,track_artist,track_popularity,track_album_name,track_album_release_date,playlist_name,"
        "playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,"
        "instrumentalness,liveness,valence,tempo,duration_ms\n"
        "Velvet Engine,Dusk Protocol,66,Neon Cartography,2017-11-03,Pop Remix,pop,dance pop,0.748,0.916,6,"
        "-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754\n";
    const Catalog catalog = load(text);
    ASSERT_EQ(catalog.size(), 1U);
    const model::Song& song = catalog.songs()[0];
    EXPECT_EQ(song.name, "Velvet Engine");
    EXPECT_EQ(song.artists, "Dusk Protocol");
    EXPECT_EQ(song.album_name, "Neon Cartography");
    EXPECT_EQ(song.album_release_date, "2017-11-03");
    EXPECT_EQ(song.duration_ms, 194754);
    EXPECT_EQ(song.key, 6);
    EXPECT_FLOAT_EQ(song.features.danceability, 0.748F);
    EXPECT_FLOAT_EQ(song.features.loudness, -2.634F);
    EXPECT_FLOAT_EQ(song.features.tempo, 122.036F);
}

TEST(Catalog, HeaderNamesAreTrimmedAndCaseInsensitiveInAnyOrder) {
    const std::string text =
        "Tempo, VALENCE ,liveness,instrumentalness,acousticness,speechiness,mode,loudness,key,energy,"
        "danceability,album_release_date,Album_Name,duration_ms,artists,\tName\n"
        "120,0.4,0.1,0,0.2,0.05,1,-6,3,0.8,0.7,2001,Album,180000,Someone,Backwards\n";
    const Catalog catalog = load(text);
    ASSERT_EQ(catalog.size(), 1U);
    EXPECT_EQ(catalog.songs()[0].name, "Backwards");
    EXPECT_EQ(catalog.songs()[0].key, 3);
    EXPECT_FLOAT_EQ(catalog.songs()[0].features.tempo, 120.0F);
    EXPECT_FLOAT_EQ(catalog.songs()[0].features.valence, 0.4F);
}

TEST(Catalog, AcceptsBomAndCrlf) {
    std::string text = "\xEF\xBB\xBF" + std::string(kHeader) + row("One") + row("Two");
    for (std::size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 2)) text.insert(i, "\r");
    const Catalog catalog = load(text);
    ASSERT_EQ(catalog.size(), 2U);
    EXPECT_EQ(catalog.songs()[1].name, "Two");
    EXPECT_FLOAT_EQ(catalog.songs()[1].features.tempo, 120.5F);  // no '\r' left on the last field
}

TEST(Catalog, MissingColumnsAreListedAtLine1) {
    const std::string message =
        error_of("track_name,artists,album_name,album_release_date,danceability,energy,loudness,mode,speechiness,"
                 "acousticness,instrumentalness,liveness,valence,tempo\n");
    EXPECT_EQ(message, "t.csv:1: missing columns: duration_ms, key");
    EXPECT_EQ(error_of("title,singer\nx,y\n").rfind("t.csv:1: missing columns: name (or track_name), artists (or "
                                                    "track_artist), duration_ms, album_name",
                                                    0),
              0U);
}

TEST(Catalog, ColumnGivenTwiceIsAnError) {
    EXPECT_EQ(error_of("track_name," + std::string(kHeader)),
              "t.csv:1: column 'name' appears twice (columns 1 and 2)");
}

TEST(Catalog, HeaderOnlyIsAnEmptyCatalogue) {
    LoadReport report;
    const Catalog catalog = load(kHeader, &report);
    EXPECT_EQ(catalog.size(), 0U);
    EXPECT_EQ(report.rows, 0U);
    EXPECT_EQ(catalog.find_by_name("anything"), nullptr);
}

TEST(Catalog, EmptyFileIsAnError) {
    EXPECT_EQ(error_of(""), "t.csv:1: empty file, expected a header row");
    EXPECT_EQ(error_of("\xEF\xBB\xBF\n"), "t.csv:1: empty file, expected a header row");
}

TEST(Catalog, WrongFieldCountNamesTheRightLine) {
    // The first row spans lines 2-3, so the short row is on line 5, the 3rd record.
    std::string short_row = row("Short");
    short_row.erase(short_row.rfind(','));
    short_row += '\n';
    const std::string text =
        std::string(kHeader) + row("\"Multi\nline\"") + row("Fine") + short_row + row("Never reached");
    EXPECT_EQ(error_of(text), "t.csv:5: expected 16 fields, found 15");
}

TEST(Catalog, NonNumericFeatureIsAnError) {
    EXPECT_EQ(error_of(std::string(kHeader) + row("A") + row("B", "Artist", "abc")),
              "t.csv:3: column 'energy': 'abc' is not a number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "")), "t.csv:2: column 'energy': '' is not a number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5x")),
              "t.csv:2: column 'energy': '0.5x' is not a number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", " 0.5")),
              "t.csv:2: column 'energy': ' 0.5' is not a number");
}

// The cell's text is echoed escaped and capped: a catalogue cannot forge lines or flood the error.
TEST(Catalog, ABadCellIsEchoedEscapedAndCapped) {
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5\tstream: done:\x1b[2J\x07")),
              R"(t.csv:2: column 'energy': '0.5\tstream: done:\x1b[2J\x07' is not a number)");
    const std::string message = error_of(std::string(kHeader) + row("B", "Artist", std::string(1 << 20, '9').append("x")));
    EXPECT_LT(message.size(), 300u);
    EXPECT_NE(message.find("... (1048377 more bytes)' is "), std::string::npos) << message;
}

TEST(Catalog, NonFiniteFeatureIsAnError) {
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "inf")),
              "t.csv:2: column 'energy': 'inf' is not a finite number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "nan")),
              "t.csv:2: column 'energy': 'nan' is not a finite number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "1e999")),
              "t.csv:2: column 'energy': '1e999' is out of range");
}

TEST(Catalog, IntegerColumnsTakeWholeNumbersInAnyNotation) {
    // The TidyTuesday file writes two durations as 2.00E+05.
    const Catalog catalog = load(std::string(kHeader) + row("A", "X", "0.5", "2.00E+05") + row("B", "X", "0.5", "-7"));
    ASSERT_EQ(catalog.size(), 2U);
    EXPECT_EQ(catalog.songs()[0].duration_ms, 200000);
    EXPECT_EQ(catalog.songs()[1].duration_ms, -7);
    EXPECT_EQ(catalog.songs()[0].id, song_id(catalog.songs()[0]));

    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5", "1.5")),
              "t.csv:2: column 'duration_ms': '1.5' is not an integer");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5", "abc")),
              "t.csv:2: column 'duration_ms': 'abc' is not a number");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5", "99999999999")),
              "t.csv:2: column 'duration_ms': '99999999999' is out of range");
    EXPECT_EQ(error_of(std::string(kHeader) + row("B", "Artist", "0.5", "3E+09")),
              "t.csv:2: column 'duration_ms': '3E+09' is out of range");
}

TEST(Catalog, EmptySongNameIsAnError) {
    EXPECT_EQ(error_of(std::string(kHeader) + row("")), "t.csv:2: empty song name");
    EXPECT_EQ(error_of(std::string(kHeader) + row("\"\"")), "t.csv:2: empty song name");
}

TEST(Catalog, LenientSkipsAndCountsBadRows) {
    std::string text(kHeader);
    text += row("Good 1");
    for (int i = 0; i < 25; ++i) text += row(fmt::format("Bad {}", i), "Artist", "oops");
    text += "too,few\n";
    text += row("Good 2");
    LoadReport report;
    const Catalog catalog = load(text, &report, true);
    EXPECT_EQ(report.rows, 28U);
    EXPECT_EQ(report.skipped, 26U);
    ASSERT_EQ(report.problems.size(), 20U);  // only the first 20 messages are kept
    EXPECT_EQ(report.problems.front(), "t.csv:3: column 'energy': 'oops' is not a number");
    EXPECT_EQ(report.problems.back(), "t.csv:22: column 'energy': 'oops' is not a number");
    ASSERT_EQ(catalog.size(), 2U);
    EXPECT_EQ(catalog.songs()[0].name, "Good 1");
    EXPECT_EQ(catalog.songs()[1].name, "Good 2");
    EXPECT_EQ(catalog.find_by_name("Bad 0"), nullptr);
}

TEST(Catalog, StrictStopsAtTheFirstBadRow) {
    LoadReport report;
    const std::string text = std::string(kHeader) + row("Good") + "too,few\n" + row("Bad", "A", "x");
    try {
        load(text, &report);
        FAIL() << "a bad row loaded without lenient";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "t.csv:3: expected 16 fields, found 2");
    }
}

TEST(Catalog, LenientDoesNotHideMalformedCsv) {
    // A broken quote leaves no reliable record boundary, so even lenient loading stops.
    LoadReport report;
    EXPECT_THROW(load(std::string(kHeader) + row("A") + "\"open,\n", &report, true), Error);
}

TEST(Catalog, DuplicateRowsKeepTheFirst) {
    LoadReport report;
    const std::string text = std::string(kHeader) + row("Same", "Artist", "0.1") + row("Other") +
                             row("Same", "Artist", "0.9") + row("Same", "Artist", "0.1");
    const Catalog catalog = load(text, &report);
    EXPECT_EQ(report.rows, 4U);
    EXPECT_EQ(report.duplicates, 2U);
    ASSERT_EQ(catalog.size(), 2U);
    const model::Song* same = catalog.find_by_name("Same");
    ASSERT_NE(same, nullptr);
    EXPECT_FLOAT_EQ(same->features.energy, 0.1F);
    EXPECT_EQ(catalog.find(same->id), same);
}

TEST(Catalog, FindByNameReturnsTheFirstSongWithThatExactName) {
    const std::string text = std::string(kHeader) + row("Afterglow", "Dusk Protocol") + row("Open Window", "Juno") +
                             row("Afterglow", "Saltmarsh Choir") + row("Open Window", "Pale Meridian") +
                             row("Afterglow", "Nia Featherstone");
    const Catalog catalog = load(text);
    ASSERT_EQ(catalog.size(), 5U);
    ASSERT_NE(catalog.find_by_name("Afterglow"), nullptr);
    EXPECT_EQ(catalog.find_by_name("Afterglow")->artists, "Dusk Protocol");
    EXPECT_EQ(catalog.find_by_name("Open Window")->artists, "Juno");
    EXPECT_EQ(catalog.find_by_name("afterglow"), nullptr);  // byte-equal, not case-folded
    EXPECT_EQ(catalog.find_by_name("Afterglow "), nullptr);
    // The other songs with that name stay reachable by id.
    const model::Song& third = catalog.songs()[2];
    EXPECT_EQ(third.artists, "Saltmarsh Choir");
    EXPECT_EQ(catalog.find(third.id), &third);
    EXPECT_NE(third.id, catalog.find_by_name("Afterglow")->id);
}

TEST(Catalog, SongIdIsFnv1aOverTheIdentityFields) {
    // Golden values computed independently: they must never change, or stored rows lose their song.
    model::Song song;
    song.name = "Afterglow";
    song.artists = "Dusk Protocol";
    song.album_name = "Neon Cartography";
    song.album_release_date = "2017-11-03";
    song.duration_ms = 200000;
    EXPECT_EQ(song_id(song), 3967871685989190484);
    song.features.energy = 0.9F;  // features and key are not part of the identity
    song.key = 4;
    EXPECT_EQ(song_id(song), 3967871685989190484);

    model::Song other;
    other.name = "Café";
    other.artists = "A, B";
    other.album_name = "X";
    other.album_release_date = "2014";
    other.duration_ms = -1;
    EXPECT_EQ(song_id(other), 4914510384262579259);
}

TEST(Catalog, SongIdChangesWithEveryIdentityFieldAndSeparatesThem) {
    model::Song base;
    base.name = "ab";
    base.artists = "c";
    base.album_name = "Album";
    base.album_release_date = "2020";
    base.duration_ms = 1000;
    std::set<std::int64_t> ids{song_id(base)};
    auto variant = [&](auto change) {
        model::Song song = base;
        change(song);
        ids.insert(song_id(song));
    };
    variant([](model::Song& s) { s.name = "a"; s.artists = "bc"; });  // same bytes, other split
    variant([](model::Song& s) { s.artists = "d"; });
    variant([](model::Song& s) { s.album_name = "Album2"; });
    variant([](model::Song& s) { s.album_release_date = "2021"; });
    variant([](model::Song& s) { s.duration_ms = 1001; });
    EXPECT_EQ(ids.size(), 6U);
    EXPECT_TRUE(std::all_of(ids.begin(), ids.end(), [](std::int64_t id) { return id >= 0; }));
}

TEST(Catalog, IdsAreStableAcrossRowOrder) {
    const std::vector<std::string> rows{row("One", "A"), row("Two", "B"), row("Three", "C"), row("One", "D")};
    std::string forward(kHeader);
    std::string backward(kHeader);
    for (const auto& r : rows) forward += r;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) backward += *it;
    const Catalog a = load(forward);
    const Catalog b = load(backward);
    ASSERT_EQ(a.size(), 4U);
    ASSERT_EQ(b.size(), 4U);
    for (const model::Song& song : a.songs()) {
        const model::Song* same = b.find(song.id);
        ASSERT_NE(same, nullptr) << song.name;
        EXPECT_EQ(same->name, song.name);
        EXPECT_EQ(same->artists, song.artists);
    }
    EXPECT_EQ(a.find_by_name("One")->artists, "A");  // file order decides the name join
    EXPECT_EQ(b.find_by_name("One")->artists, "D");
}

TEST(Catalog, MovingKeepsIndicesAndPointersValid) {
    // Short names live inside the std::string (SSO): the views must survive the move all the same.
    Catalog first = load(std::string(kHeader) + row("Hi", "A") + row("A much longer song name than SSO", "B"));
    const model::Song* hi = first.find_by_name("Hi");
    ASSERT_NE(hi, nullptr);
    Catalog moved = std::move(first);
    EXPECT_EQ(moved.find_by_name("Hi"), hi);
    EXPECT_EQ(moved.find(hi->id), hi);
    Catalog assigned;
    assigned = std::move(moved);
    ASSERT_NE(assigned.find_by_name("A much longer song name than SSO"), nullptr);
    EXPECT_EQ(assigned.find_by_name("Hi"), hi);
    EXPECT_EQ(assigned.find_by_name("A much longer song name than SSO")->artists, "B");
}

TEST(Catalog, ReportIsResetOnEachLoad) {
    LoadReport report;
    report.rows = 99;
    report.problems.push_back("stale");
    load(std::string(kHeader) + row("A"), &report);
    EXPECT_EQ(report.rows, 1U);
    EXPECT_TRUE(report.problems.empty());
}

TEST(Catalog, FromFileUsesThePathInErrors) {
    // The pid keeps concurrent runs (e.g. a sanitizer build beside a plain one) apart.
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / fmt::format("playstream_catalog_test_{}.csv", ::getpid());
    {
        std::ofstream out(path, std::ios::binary);
        out << kHeader << row("Fine") << row("Bad", "A", "abc");
    }
    try {
        Catalog::from_file(path.string());
        FAIL() << "bad row loaded";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), path.string() + ":3: column 'energy': 'abc' is not a number");
    }
    LoadReport report;
    const Catalog catalog = Catalog::from_file(path.string(), {.lenient = true}, &report);
    EXPECT_EQ(catalog.size(), 1U);
    EXPECT_EQ(report.skipped, 1U);
    std::filesystem::remove(path);
}

TEST(Catalog, FromFileMissingSaysWhy) {
    try {
        Catalog::from_file("/nonexistent/songs.csv");
        FAIL() << "a missing file loaded";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cannot open /nonexistent/songs.csv: No such file or directory");
    }
}

TEST(Catalog, BundledSampleLoadsCleanly) {
    LoadReport report;
    const Catalog catalog = Catalog::from_text(bundled_sample_csv(), "bundled", {}, &report);
    EXPECT_GE(catalog.size(), 50U);
    EXPECT_EQ(report.rows, catalog.size());
    EXPECT_EQ(report.skipped, 0U);
    EXPECT_EQ(report.duplicates, 0U);
    EXPECT_TRUE(report.problems.empty());
    // It exercises the name-join rule: names shared by songs of different artists.
    std::map<std::string, std::set<std::string>> artists_by_name;
    for (const model::Song& song : catalog.songs()) artists_by_name[song.name].insert(song.artists);
    const auto shared = std::count_if(artists_by_name.begin(), artists_by_name.end(),
                                      [](const auto& entry) { return entry.second.size() > 1; });
    EXPECT_GE(shared, 3);
    // ...and quoting, and a release date that is only a year.
    const auto has = [&](auto predicate) {
        return std::any_of(catalog.songs().begin(), catalog.songs().end(), predicate);
    };
    EXPECT_TRUE(has([](const model::Song& s) { return s.name.find(',') != std::string::npos; }));
    EXPECT_TRUE(has([](const model::Song& s) { return s.name.find('"') != std::string::npos; }));
    EXPECT_TRUE(has([](const model::Song& s) { return s.album_release_date.size() == 4; }));
}

TEST(Catalog, BundledSampleMatchesTheDataFile) {
    std::ifstream in(PLAYSTREAM_SOURCE_DIR "/data/sample-catalog.csv", std::ios::binary);
    ASSERT_TRUE(in) << "data/sample-catalog.csv not found";
    const std::string file{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(bundled_sample_csv(), file);
}

TEST(Catalog, LoadsTheSharedTidyTuesdayCatalogue) {
    const std::string path = PLAYSTREAM_SOURCE_DIR "/../shared/data/spotify-songs.csv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not present (it is not part of the product)";
    LoadReport report;
    const Catalog catalog = Catalog::from_file(path, {}, &report);
    EXPECT_EQ(report.rows, 5130U);
    EXPECT_EQ(report.skipped, 0U);
    EXPECT_EQ(catalog.size() + report.duplicates, report.rows);
    EXPECT_EQ(catalog.size(), 3555U);  // distinct (name, artists, album, release date, duration)

    // Names repeat, and find_by_name picks the first song of each name in file order.
    std::unordered_map<std::string, const model::Song*> first_by_name;
    for (const model::Song& song : catalog.songs()) first_by_name.try_emplace(song.name, &song);
    EXPECT_EQ(first_by_name.size(), 3013U);
    for (const auto& [name, first] : first_by_name) ASSERT_EQ(catalog.find_by_name(name), first) << name;

    const model::Song* song = catalog.find_by_name("Call You Mine - Keanu Silva Remix");
    ASSERT_NE(song, nullptr);
    EXPECT_EQ(song->artists, "The Chainsmokers");
    EXPECT_EQ(song->duration_ms, 169093);
    EXPECT_FLOAT_EQ(song->features.instrumentalness, 9.43e-06F);
}

}  // namespace
}  // namespace playstream::catalog
