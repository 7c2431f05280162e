# Turn a build's ctest entries into the shell lines the guest runs.
#
# Usage: cmake -DJSON=<ctest --show-only=json-v1 output> -DOUT=<file>
#              [-DSCALE=<timeout factor>] [-DEMULATOR=<first word to drop>]
#              [-DREGEX=<only names matching>] [-DMAX=<longest timeout s>]
#              -P list.cmake
#
# Each ctest entry becomes one line of OUT:
#   t <name> <timeout s> <skip exit code or -> <skip regex or -> <workdir> \
#     [K=V ...] -- <command> <args...>
# every word single-quoted for sh.  Entries labelled "build", and those
# whose command is CMake itself (cmake -P scripts: symbols, exports, sizes,
# the probe's table, the docs), examine build output and sources, not the
# kernel; they are written as "host <name>" lines so that the guest lists
# them without running them.  Every absolute path
# that names a file or directory is written to OUT.files, one a line: the
# programs (and the fuzz corpora) the guest needs.
if(NOT JSON OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DJSON=<file> -DOUT=<file> [-DSCALE=n] [-DEMULATOR=cmd] [-DREGEX=re] [-DMAX=s] -P list.cmake")
endif()
if(NOT SCALE)
  set(SCALE 1)
endif()
file(READ "${JSON}" doc)
string(JSON n LENGTH "${doc}" tests)
set(lines "")
set(files "")

# q(<var> <word>): <word> quoted for sh.
function(q var word)
  string(REPLACE "'" "'\\''" w "${word}")
  set(${var} "'${w}'" PARENT_SCOPE)
endfunction()

if(n GREATER 0)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${doc}" tests ${i} name)
    if(REGEX AND NOT name MATCHES "${REGEX}")
      continue()
    endif()
    string(JSON ncmd LENGTH "${doc}" tests ${i} command)
    set(cmd "")
    math(EXPR clast "${ncmd} - 1")
    foreach(j RANGE ${clast})
      string(JSON w GET "${doc}" tests ${i} command ${j})
      list(APPEND cmd "${w}")
    endforeach()
    list(GET cmd 0 prog)
    # A cross build's entries start with the emulator: on the target's own
    # kernel the program runs by itself.
    if(EMULATOR)
      get_filename_component(pname "${prog}" NAME)
      if(pname STREQUAL EMULATOR)
        list(FIND cmd "-L" at)
        if(at EQUAL 1)
          list(REMOVE_AT cmd 0 1 2)
        else()
          list(REMOVE_AT cmd 0)
        endif()
        list(GET cmd 0 prog)
      endif()
    endif()
    get_filename_component(pname "${prog}" NAME)
    if(pname MATCHES "^cmake")
      q(qn "${name}")
      string(APPEND lines "host ${qn}\n")
      continue()
    endif()

    set(timeout 1500)
    set(skiprc "-")
    set(skipre "-")
    set(wd "/")
    set(envs "")
    set(build_only 0)
    string(JSON np ERROR_VARIABLE err LENGTH "${doc}" tests ${i} properties)
    if(err)
      set(np 0)
    endif()
    if(np GREATER 0)
      math(EXPR plast "${np} - 1")
      foreach(j RANGE ${plast})
        string(JSON pn GET "${doc}" tests ${i} properties ${j} name)
        if(pn STREQUAL "TIMEOUT")
          string(JSON timeout GET "${doc}" tests ${i} properties ${j} value)
          string(REGEX REPLACE "\\..*" "" timeout "${timeout}")
        elseif(pn STREQUAL "SKIP_RETURN_CODE")
          string(JSON skiprc GET "${doc}" tests ${i} properties ${j} value)
        elseif(pn STREQUAL "SKIP_REGULAR_EXPRESSION")
          string(JSON skipre GET "${doc}" tests ${i} properties ${j} value 0)
        elseif(pn STREQUAL "LABELS")
          string(JSON labels GET "${doc}" tests ${i} properties ${j} value)
          if(labels MATCHES "\"build\"")
            set(build_only 1)
          endif()
        elseif(pn STREQUAL "WORKING_DIRECTORY")
          string(JSON wd GET "${doc}" tests ${i} properties ${j} value)
        elseif(pn STREQUAL "ENVIRONMENT")
          string(JSON ne LENGTH "${doc}" tests ${i} properties ${j} value)
          math(EXPR elast "${ne} - 1")
          foreach(k RANGE ${elast})
            string(JSON e GET "${doc}" tests ${i} properties ${j} value ${k})
            q(qe "${e}")
            string(APPEND envs " ${qe}")
          endforeach()
        elseif(pn STREQUAL "WILL_FAIL" OR pn STREQUAL "PASS_REGULAR_EXPRESSION"
               OR pn STREQUAL "FAIL_REGULAR_EXPRESSION")
          message(FATAL_ERROR "${name}: ${pn} is not supported by the kernel runner")
        endif()
      endforeach()
    endif()
    if(build_only)
      q(qn "${name}")
      string(APPEND lines "host ${qn}\n")
      continue()
    endif()
    math(EXPR timeout "${timeout} * ${SCALE}")
    # A hung entry costs its whole timeout: the scaled ones (1500 s by
    # default, times SCALE) would spend the run's budget on one hang.
    if(MAX AND timeout GREATER MAX)
      set(timeout ${MAX})
    endif()

    set(words "")
    foreach(w IN LISTS cmd)
      if(IS_ABSOLUTE "${w}" AND EXISTS "${w}")
        list(APPEND files "${w}")
      endif()
      q(qw "${w}")
      string(APPEND words " ${qw}")
    endforeach()
    q(qn "${name}")
    q(qre "${skipre}")
    q(qwd "${wd}")
    string(APPEND lines "t ${qn} ${timeout} ${skiprc} ${qre} ${qwd}${envs} --${words}\n")
  endforeach()
endif()

file(WRITE "${OUT}" "${lines}")
list(REMOVE_DUPLICATES files)
list(JOIN files "\n" files)
file(WRITE "${OUT}.files" "${files}\n")
