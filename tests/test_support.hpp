#pragma once

// Helpers shared by the tests: a scratch directory and small catalogues.
#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>
#include <unistd.h>

#include "catalog/catalog.hpp"

namespace playstream::testing {

// A fresh directory under the system temp dir, removed when the object goes.
class ScratchDir {
public:
    ScratchDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                fmt::format("playstream-test-{}-{:x}", ::getpid(), rd());
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Three songs; two of them share the name "Echo" (different artists), the first one listed wins
// a join by name.
inline catalog::Catalog small_catalog() {
    return catalog::Catalog::from_text(
        "name,artists,duration_ms,album_name,album_release_date,danceability,energy,key,loudness,"
        "mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo\n"
        "Echo,First Artist,200000,Album A,2020-01-01,0.5,0.6,1,-5.5,1,0.05,0.1,0,0.12,0.7,120.5\n"
        "Echo,Second Artist,180000,Album B,2019,0.25,0.3,2,-8.25,0,0.04,0.2,0.001,0.2,0.4,95\n"
        "\"Rain, Again\",Third Artist,240000,Album C,2018-05-05,0.75,0.9,5,-3,1,0.1,0.05,9.43E-06,0.3,0.9,140\n",
        "small.csv");
}

}  // namespace playstream::testing
