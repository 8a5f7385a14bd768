# Run at every build (cmake -P): writes build_info.cpp with the commit checked out now, touching it
# only when that changed, so `playstream --version` never names a stale commit.
# Inputs: -DSOURCE_DIR -DOUTPUT -DPROJECT_VERSION
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE PLAYSTREAM_COMMIT
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT PLAYSTREAM_COMMIT)
  set(PLAYSTREAM_COMMIT unknown)  # built from a tarball, not a clone
endif()
configure_file(${SOURCE_DIR}/cmake/build_info.cpp.in ${OUTPUT} @ONLY)
