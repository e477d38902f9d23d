// dcagw disables core dumps at the start of main (cli/main.cpp), before any secret is
// loaded. Checked from outside on a running dcagw: `dcagw encrypt` started as user
// nobody blocks reading its standard input; while it waits, /proc/<pid>/limits must show
// a core size limit of 0 and /proc/<pid>/status must belong to root, which is how the
// kernel shows a process that cleared its dumpable flag (a dumpable one's /proc files
// belong to its own user; /bin/cat, started the same way, is the control).
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pwd.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

std::string read_proc(pid_t pid, char const* name)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// A process of `program` run as `user`, blocked reading a pipe it is given as stdin.
struct BlockedProcess {
    pid_t pid { -1 };
    int input { -1 };

    BlockedProcess(passwd const& user, std::vector<std::string> arguments)
    {
        int pipe_ends[2];
        REQUIRE(::pipe(pipe_ends) == 0);
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(pipe_ends[0], STDIN_FILENO);
            ::close(pipe_ends[0]);
            ::close(pipe_ends[1]);
            int const null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            if (::setgroups(0, nullptr) != 0 || ::setgid(user.pw_gid) != 0 || ::setuid(user.pw_uid) != 0)
                ::_exit(126);
            std::vector<char*> argv;
            for (auto& argument : arguments)
                argv.push_back(argument.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(pipe_ends[0]);
        input = pipe_ends[1];
    }

    // Waits until the process runs `program` and sits in read(0, ...): by then its main
    // has run whatever it does first.
    bool wait_until_reading(fs::path const& program) const
    {
        auto const reading = std::to_string(SYS_read) + " 0x0 ";
        for (int attempt = 0; attempt < 200; ++attempt) {
            std::error_code error;
            auto const exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
            if (!error && exe == program && read_proc(pid, "syscall").starts_with(reading))
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        return false;
    }

    uid_t status_owner() const
    {
        struct stat status {};
        REQUIRE(::stat(("/proc/" + std::to_string(pid) + "/status").c_str(), &status) == 0);
        return status.st_uid;
    }

    // Closes its input (end of file) and returns its exit status.
    int finish()
    {
        ::close(input);
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
};

std::optional<std::string> core_limit_line(pid_t pid)
{
    std::istringstream limits(read_proc(pid, "limits"));
    std::string line;
    while (std::getline(limits, line))
        if (line.starts_with("Max core file size"))
            return line;
    return std::nullopt;
}

} // namespace

TEST_CASE("a running dcagw allows no core dump and is not dumpable")
{
    passwd const* nobody = ::getpwnam("nobody");
    if (::geteuid() != 0 || nobody == nullptr || nobody->pw_uid == 0) {
        WARN("skipped: needs root and a user 'nobody' to start dcagw as another user");
        return;
    }
    fs::path const dcagw = fs::canonical(DCAGW_BINARY);
    fs::path const cat = fs::canonical("/bin/cat");

    // The control: an ordinary program's /proc files belong to its user.
    BlockedProcess control(*nobody, { cat.string() });
    REQUIRE(control.wait_until_reading(cat));
    CHECK(control.status_owner() == nobody->pw_uid);
    CHECK(control.finish() == 0);

    BlockedProcess gateway(*nobody, { dcagw.string(), "encrypt", "-r", "age1vsey2ds5hsm408znzsus42sz4lderfzpgk5y5h4unwxul7fx49vspnd6zk" });
    REQUIRE(gateway.wait_until_reading(dcagw));
    CHECK(gateway.status_owner() == 0);
    auto const limit = core_limit_line(gateway.pid);
    REQUIRE(limit.has_value());
    INFO(*limit);
    std::istringstream fields(limit->substr(std::string("Max core file size").size()));
    std::string soft, hard;
    fields >> soft >> hard;
    CHECK(soft == "0");
    CHECK(hard == "0");
    CHECK(gateway.finish() == 0);
}
