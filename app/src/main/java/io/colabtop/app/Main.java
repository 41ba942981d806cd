package io.colabtop.app;
public class Main { public static void main(String[] a){} }
