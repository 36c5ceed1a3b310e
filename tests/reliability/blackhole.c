/*
 * blackhole.c - test helper: a TCP server on 127.0.0.1 that accepts connections (the kernel
 * completes the handshake) and never says a word, like a hung or firewalled database server.
 *
 * Usage: dbt_blackhole PORTFILE SECONDS
 * Listens on a free loopback port, writes the port number to PORTFILE, then sleeps SECONDS
 * (or until killed) without ever calling accept().
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd;
    FILE *f;

    if (argc != 3) {
        fprintf(stderr, "usage: dbt_blackhole PORTFILE SECONDS\n");
        return 2;
    }
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("dbt_blackhole");
        return 1;
    }
    if (!(f = fopen(argv[1], "w")) || fprintf(f, "%u\n", ntohs(a.sin_port)) < 0 ||
        fclose(f) != 0) {
        perror("dbt_blackhole: port file");
        return 1;
    }
    sleep((unsigned)atoi(argv[2]));
    close(fd);
    return 0;
}
