package io.colabtop.ssh;
class Placeholder {}
