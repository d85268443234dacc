/* web_main: the browser edition's entry point. It is the window (src/app/window):
 * the page (web/page.js) turns the link's fragment into the window's options
 * (#lesson=NAME is --scene /scenes/NAME.scene, #key=value is --key value) and passes
 * them as arguments; the window then draws into the page's canvas with WebGL2, one
 * frame function an animation frame (window.c), and the work the window's threads
 * would do runs in slices of those frames (scene/worker.h). window/web.c has the
 * calls the page makes. */
#include <sys/stat.h>

#include "app/commands.h"

int main(int argc, char **argv)
{
    umask(022);   /* emscripten starts with 0777: files written here would have no permissions */
    return cmd_window(argc - 1, argv + 1);   /* the options, as main.c passes them */
}
